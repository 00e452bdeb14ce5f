# syntax=docker/dockerfile:1
# One image per service, all from this file:
#   docker build --build-arg SERVICE=payment -t <registry>/harbour/payment .
# SERVICE is gateway, user, business, payment, timeline, social or notification.
#
# The base image is pinned by digest; the platform team refreshes it (k8s/README.md, "Images"):
#   docker buildx imagetools inspect node:20-bookworm-slim --format '{{json .Manifest.Digest}}'
ARG NODE_IMAGE=node:20-bookworm-slim@sha256:b4e7a6fd0f8bbe0a1df49d0c7a8c2a2e3e25b9b3c7a8e0f2d4c6a1b3e5f7d9c2

# Build: the same commands as CI (npm ci, generate), then the service's bundle (npm run build:service).
FROM ${NODE_IMAGE} AS build
WORKDIR /repo
COPY . .
RUN npm ci && npm run generate
ARG SERVICE
RUN test -n "${SERVICE}" && npm run build:service -- "${SERVICE}" --out /out

# Run: the bundle alone (no node_modules, no npm, no sources), as a non-root user, root filesystem read-only in k8s.
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HARBOUR_MODE=production \
    HARBOUR_DATA_DIR=/tmp/harbour
WORKDIR /app
COPY --from=build --chown=root:root /out/ /app/
# The image's "node" user, by number so Kubernetes can check runAsNonRoot.
USER 1000:1000
# A subgraph's image also holds migrate.js, which its init container runs: node migrate.js --store <name>
CMD ["node", "--enable-source-maps", "main.js"]
