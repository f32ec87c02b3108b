# The extractor worker image (CPU: FORD and the assemblers). Build from the repository root:
#   docker build -f deploy/docker/extractor-worker.Dockerfile -t registry.example.com/facex/extractor-worker:<tag> .
# The model pack is not in this image: it comes from the model-packs image (model-pack.Dockerfile),
# mounted read-only at $FACEX_MODELS_DIR. Stages as in gateway.Dockerfile: compiled JavaScript and production
# dependencies only.
ARG NODE_IMAGE=node:20-bookworm-slim

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
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
# .npmrc keeps onnxruntime-node-install=skip: the CPU execution provider ships inside the npm package.
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY tools/build/prune-foreign-binaries.js ./
RUN node prune-foreign-binaries.js node_modules

FROM ${NODE_IMAGE} AS runtime
# Debian's ffmpeg: the video worker (this image, `node dist/apps/video-worker/src/main.js`) decodes and encodes
# with it as a bounded child process. It adds about 700 MB; the gateway image has it too (ffprobe at upload).
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ffmpeg && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production PORT=9464 FACEX_MODELS_DIR=/models
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
USER 1000:1000
EXPOSE 9464
HEALTHCHECK --interval=15s --timeout=3s --start-period=120s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.PORT + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/apps/extractor-worker/src/main.js"]
