# sequence-mock as a container: docker build -t sequence-mock . && docker run -p 4010:4010 sequence-mock
# Stage 1 compiles TypeScript with dev dependencies; stage 2 installs production dependencies only;
# the final image holds dist/, the spec, the fixtures and those dependencies, and runs as `node`.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund --no-update-notifier
COPY tsconfig.json openapi.yaml ./
COPY spec ./spec
COPY src ./src
# The build also makes dist/openapi.json (the served document, read at start-up) with this script.
COPY scripts/parse-spec.mjs ./scripts/
RUN npm run build

FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund --no-update-notifier && npm cache clean --force

FROM node:20-bookworm-slim
# LOG_FORMAT=json: a container's log is read by machines (docker logs, a collector), even under `docker run -t`.
ENV NODE_ENV=production HOST=0.0.0.0 PORT=4010 LOG_FORMAT=json
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json openapi.yaml ./
COPY spec ./spec
COPY data ./data
COPY ui ./ui
# For DATA_FILE (e.g. -e DATA_FILE=/data/sequence.json -v sequence-data:/data): owned by `node`, so
# the non-root server can write its data file, journal and lock there. Memory is still the default.
RUN mkdir /data && chown node:node /data
VOLUME /data
USER node
EXPOSE 4010
# node's own fetch: the slim image has no curl.
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||4010)+'/__admin/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# node is PID 1 and dist/cli.js handles SIGTERM itself, so `docker stop` is a clean, fast stop.
# The node flags the bin and `npm start` run it with: scavenge pauses of about 4 ms instead of 8 (the
# default) or 13 (32), no stall of 100-250 ms while concurrent marking takes the core, and no
# mark-compacts of the whole store every few seconds under reads that follow a write load (V8's
# pretenuring off); the same throughput (docs/benchmarks.md#node-flags).
CMD ["node", "--max-semi-space-size=8", "--single-threaded-gc", "--no-allocation-site-pretenuring", "dist/cli.js"]
