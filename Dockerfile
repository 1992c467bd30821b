# One image for every role: `web`, `worker` or `all` is the container command's argument.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY tsconfig.json ./
COPY src ./src
COPY migrations ./migrations
USER node
EXPOSE 3000
ENTRYPOINT ["npx", "tsx", "src/main.ts"]
CMD ["all"]
