# One image for the API, the worker and the migration job; the command picks the role.
# Node 22: the OpenTelemetry SDK (0.301) and content-disposition 3 declare Node >= 22.15.
# The test machine runs Node 20.20, on which the whole suite, tracing included, passes.
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:22-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
USER node
EXPOSE 3000 3001
CMD ["node", "dist/apps/api/src/main.js"]
