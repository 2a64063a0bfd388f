# One image for the API and the workers. With network access, npm installs
# @tensorflow/tfjs-node (and -node-gpu), whose install scripts download
# libtensorflow; the worker then trains on it instead of wasm. The GPU
# worker builds this file on a CUDA base image (see docker-compose.yml),
# which gets Node.js from the official Node image.
ARG BASE_IMAGE=node:20-bookworm-slim
FROM node:20-bookworm-slim AS node

FROM ${BASE_IMAGE}
COPY --from=node /usr/local/bin/node /usr/local/bin/node
COPY --from=node /usr/local/lib/node_modules /usr/local/lib/node_modules
RUN ln -sf ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && ln -sf ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx
WORKDIR /app
ENV ARTIFACT_DIR=/artifacts
COPY package.json package-lock.json ./
COPY apps ./apps
COPY packages ./packages
COPY prisma ./prisma
COPY prisma.config.ts tsconfig.base.json tsconfig.json turbo.json ./
COPY scripts ./scripts
# The API serves the dashboard's build at /.
RUN npm ci --foreground-scripts && npm run db:generate && npm run dashboard:build
EXPOSE 8080
CMD ["npm", "run", "api"]
