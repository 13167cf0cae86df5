# The ledger image: api, projector, relay, the example consumer and the auditor CLI (docker-compose.yml picks the program).
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# npm install with the lockfile (npm ci rejects a lock without every platform's optional builds)
RUN npm install --no-audit --no-fund
COPY . .
RUN node scripts/build.js && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production LEDGER_HOST=0.0.0.0 LEDGER_DATA_DIR=/data
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
VOLUME /data
EXPOSE 3000
CMD ["node", "dist/apps/ledger-api/src/main.js"]
