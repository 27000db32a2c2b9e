# syntax=docker/dockerfile:1
# Mailissa's server image: API, website, front ends and job workers in one image; PROCESS_ROLE picks
# what a container does (docs/operations.md). Build: docker build -t mailissa .

# Build stage: install exactly the lock file, build the front ends (with their .br/.gz copies).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY apps/server/package.json apps/server/
COPY apps/web/package.json apps/web/
COPY packages/contracts/package.json packages/contracts/
COPY packages/emulators/package.json packages/emulators/
COPY packages/html/package.json packages/html/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

# Runtime stage: the built app, owned by root and run as the unprivileged `node` user, so the
# process cannot change its own code; the container's root file system is mounted read-only
# (compose and Kubernetes set it) with /tmp as the only writable place.
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/tmp/mailissa
WORKDIR /app
COPY --from=build /app /app
USER node
EXPOSE 3000
# Liveness only; readiness (database reachable, migrations applied) is /readyz for the orchestrator.
HEALTHCHECK --interval=15s --timeout=3s --start-period=40s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+process.env.PORT+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "--max-semi-space-size=64", "--import", "tsx", "apps/server/src/main.ts"]
