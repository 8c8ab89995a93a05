# syntax=docker/dockerfile:1
# kubeproof service image. Three stages on the same Node major, so the native module
# (better-sqlite3) built in `deps` matches the runtime:
#   deps   production dependencies only (npm ci --omit=dev; builds better-sqlite3)
#   build  all dependencies (install scripts skipped) + the TypeScript build (dist/, the server bundled)
#   final  slim image: node, the production node_modules, dist/, migrations; non-root; no shell needed
# The runtime writes only to /data (the SQLite database): it runs with a read-only root filesystem.
# test/deploy/dockerfile.test.ts performs these steps without a Docker engine.
ARG NODE_IMAGE=node:22-bookworm

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# The TypeScript build needs no native module: skip install scripts (better-sqlite3 is built in deps).
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/bundle-server.mjs ./scripts/
COPY src ./src
RUN npm run build

FROM ${NODE_IMAGE}-slim AS final
WORKDIR /app
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    KUBEPROOF_DB=/data/kubeproof.db
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY migrations ./migrations
COPY openapi ./openapi
# uid/gid 1000 is the image's `node` user; files stay root-owned (read-only to the process).
USER 1000:1000
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# node as PID 1, no npm or shell in between: SIGTERM reaches the server, which drains audits.
# HOST=0.0.0.0 needs KUBEPROOF_API_TOKENS (or KUBEPROOF_ALLOW_UNAUTHENTICATED=1 behind an
# authenticating proxy); without either the service refuses to start and says so.
CMD ["node", "dist/server.js"]
