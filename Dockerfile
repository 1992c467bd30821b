# One image for every role: `web`, `worker` or `all` is the container command's argument.
# test/integration/image-steps.test.ts replays this file's COPY and RUN steps (there is no container
# engine on the CI machines): keep to COPY, RUN, WORKDIR, ENV, USER and exec-form ENTRYPOINT/CMD.

# Build: every dependency (TypeScript), compiled to dist/.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# The local Slack workspace package: the sandbox runner (src/dev) compiles against it; the runtime
# stage leaves it out (a dev dependency), so the image has no sandbox.
COPY packages ./packages
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# Runtime: production dependencies only, compiled JavaScript, no tsx, not root. packages/ (the local
# Slack, for laptops and tests) is left out, so `node dist/main.js` without credentials says so.
FROM node:20-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY migrations ./migrations
USER node
# 3000: Slack and the postmortem links (PORT); 9464: /metrics when METRICS_PORT=9464, for scrapers only.
EXPOSE 3000 9464
# /healthz: the process is up and serving (compose's own check asks /readyz, which also needs Postgres and Redis).
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=3 CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["node", "dist/main.js"]
CMD ["all"]
