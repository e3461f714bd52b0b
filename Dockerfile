# syntax=docker/dockerfile:1
# Ledgerlink's container image: the published package (compiled JavaScript, the web console's bundle)
# with its production dependencies, run as an unprivileged user. See docs/operations.md, "Deploying on PostgreSQL".
#
#   docker build -t ledgerlink .
#   docker run --rm -p 8080:8080 -e LEDGERLINK_DB=postgres://… -e LEDGERLINK_MASTER_KEY=… \
#     -e LEDGERLINK_CONFIG=/etc/ledgerlink/ledgerlink.yaml \
#     -v "$PWD/ledgerlink.yaml:/etc/ledgerlink/ledgerlink.yaml:ro" ledgerlink serve --role api

ARG NODE_IMAGE=node:20-bookworm-slim

# --- build: install everything, compile the hub and the console, pack the package ----------------
FROM ${NODE_IMAGE} AS build
# better-sqlite3 compiles from source when no prebuilt binary can be fetched.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY package.json package-lock.json ./
# Dependencies first (a layer kept while only the sources change); the package's own prepare runs below.
RUN npm ci --ignore-scripts --no-audit --no-fund \
  && npm rebuild better-sqlite3 esbuild
COPY . .
RUN npm run build \
  && npm pack --ignore-scripts --pack-destination /tmp \
  && mkdir /app \
  && tar -xzf /tmp/ledgerlink-*.tgz -C /app --strip-components=1 \
  && cp package-lock.json /app/
WORKDIR /app
# Production dependencies only, at the versions of the lock file (no tsx, TypeScript, Vite).
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
  && npm rebuild better-sqlite3 \
  && rm package-lock.json \
  && npm cache clean --force

# --- runtime ----------------------------------------------------------------------------------------
FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    LEDGERLINK_HOST=0.0.0.0 \
    LEDGERLINK_PORT=8080 \
    LEDGERLINK_DB=/var/lib/ledgerlink/ledgerlink.db
COPY --from=build --chown=root:root /app /opt/ledgerlink
# The image's `node` user (uid 1000) runs the hub; it owns only the data folder (the embedded SQLite
# store, when LEDGERLINK_DB is not a postgres:// URL). The program itself stays read-only to it.
RUN mkdir -p /var/lib/ledgerlink /etc/ledgerlink \
  && chown node:node /var/lib/ledgerlink \
  && ln -s /opt/ledgerlink/bin/ledgerlink.js /usr/local/bin/ledgerlink
USER node
WORKDIR /var/lib/ledgerlink
VOLUME ["/var/lib/ledgerlink"]
EXPOSE 8080
# Ready while the store answers; 503 while shutting down. A `--role worker` container serves no HTTP:
# run it with --no-healthcheck (compose: healthcheck: { disable: true }).
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.LEDGERLINK_PORT || 8080) + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM (docker stop) drains: stop accepting, finish or hand back running steps within
# server.shutdownGraceMs (default 10 s); give the container longer than that (docker stop -t 30).
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "/opt/ledgerlink/bin/ledgerlink.js"]
CMD ["serve"]
