# The diffusion worker image (GPU). Build from the repository root, with network access to NuGet for the
# CUDA execution provider of onnxruntime-node:
#   docker build -f deploy/docker/diffusion-worker.Dockerfile -t registry.example.com/facex/diffusion-worker:<tag> .
# Without that network: --build-arg ORT_INSTALL=skip gives an image that runs on the CPU provider only.
# Stages as in gateway.Dockerfile: compiled JavaScript and production dependencies only.
ARG NODE_IMAGE=node:20-bookworm-slim
ARG CUDA_IMAGE=nvidia/cuda:12.4.1-cudnn-runtime-ubuntu22.04

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.base.json tsconfig.build.json ./
COPY libs ./libs
COPY apps ./apps
COPY tools/build ./tools/build
RUN npm run build

FROM ${NODE_IMAGE} AS deps
ARG ORT_INSTALL=cuda12
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
# onnxruntime-node's installer fetches the CUDA 12 provider libraries at build time (never at run time);
# the check fails the build if they did not land.
RUN if [ "$ORT_INSTALL" != "skip" ]; then \
      ONNXRUNTIME_NODE_INSTALL="$ORT_INSTALL" node node_modules/onnxruntime-node/script/install.js && \
      test -f node_modules/onnxruntime-node/bin/napi-v6/linux/x64/libonnxruntime_providers_cuda.so; \
    fi
COPY tools/build/prune-foreign-binaries.js ./
RUN node prune-foreign-binaries.js node_modules

FROM ${NODE_IMAGE} AS node

# CUDA 12 runtime and cuDNN 9, as the CUDA provider of onnxruntime-node 1.30 needs; Node.js copied in.
FROM ${CUDA_IMAGE} AS runtime
# Ubuntu's ffmpeg: a video edit with the diffusion generator runs its chunks here (FORD, the batch of frames on
# the GPU, ffmpeg decoding and encoding them as bounded child processes).
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ffmpeg && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production PORT=9464 FACEX_MODELS_DIR=/models
COPY --from=node /usr/local/bin/node /usr/local/bin/node
RUN groupadd --gid 1000 facex && useradd --uid 1000 --gid 1000 --no-create-home --shell /usr/sbin/nologin facex
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
USER 1000:1000
EXPOSE 9464
HEALTHCHECK --interval=15s --timeout=5s --start-period=600s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.PORT + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/apps/diffusion-worker/src/main.js"]
