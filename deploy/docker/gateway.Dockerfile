# The gateway image (also runs the webhook worker: dist/apps/gateway/src/webhook-worker-main.js). Build from the
# repository root:
#   docker build -f deploy/docker/gateway.Dockerfile -t registry.example.com/facex/gateway:<tag> .
# Stage `build` compiles the services to JavaScript (npm run build: dist/) and bundles the playground page (served
# only with FACEX_PLAYGROUND=on); stage `deps` installs production
# dependencies from the lock file; the runtime holds those two only (no TypeScript, no dev dependencies) and runs
# as a numeric non-root user (Kubernetes' runAsNonRoot can only verify a numeric one).
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.base.json tsconfig.build.json ./
COPY libs ./libs
COPY apps ./apps
COPY tools/build ./tools/build
COPY tools/playground ./tools/playground
RUN npm run build && npm run build:playground -- dist/apps/playground/dist

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY tools/build/prune-foreign-binaries.js ./
RUN node prune-foreign-binaries.js node_modules

FROM ${NODE_IMAGE} AS runtime
# Debian's ffmpeg: the gateway probes an uploaded video with ffprobe (a bounded child process) before it
# stores it, so a clip over the limits is refused before any work is queued.
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ffmpeg && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production PORT=3000
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
USER 1000:1000
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.PORT + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/apps/gateway/src/main.js"]
