# The gateway image. Build from the repository root:
#   docker build -f deploy/docker/gateway.Dockerfile -t registry.example.com/facex/gateway:<tag> .
# Stage 1 installs production dependencies from the lock file; stage 2 is the runtime: sources, those
# dependencies, a numeric non-root user (Kubernetes' runAsNonRoot can only verify a numeric one).
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production PORT=3000
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json tsconfig.json tsconfig.base.json ./
COPY libs ./libs
COPY apps/gateway ./apps/gateway
USER 1000:1000
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.PORT + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "--import", "tsx", "apps/gateway/src/main.ts"]
