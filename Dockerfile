# AIN Chain image: the `aind` CLI (the TypeScript app, compiled by the setup step) and the pinned CometBFT binary.
# docker-compose.yml runs a 4-validator localnet from it; `docker build -t ain-chain .` builds it alone.

# Stage 1: CometBFT at the version pinned in package.json `config.cometbft` (the one place it is pinned).
FROM golang:1.23-bookworm AS cometbft
WORKDIR /src
COPY package.json ./
RUN set -eu; \
    version="$(sed -n 's/.*"cometbft": *"\(v0\.38\.[0-9]*\)".*/\1/p' package.json)"; \
    test -n "$version" || { echo "package.json config.cometbft must pin v0.38.<n>" >&2; exit 1; }; \
    GOBIN=/out go install "github.com/cometbft/cometbft/cmd/cometbft@${version}"; \
    /out/cometbft version

# Stage 2: Node 20 with the app's dependencies and sources.
FROM node:20-bookworm-slim
# python3 and bubblewrap for the executor's sandbox (without user namespaces it refuses to start unless
# given --insecure-sandbox, as docker-compose.yml's demo executor is).
RUN apt-get update \
    && apt-get install -y --no-install-recommends python3 bubblewrap ca-certificates \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
# The workspace packages' manifests (package.json "workspaces"), which npm ci needs with the lock file.
COPY packages/client/package.json packages/client/
RUN npm ci --omit=dev --no-audit --no-fund
COPY . .
# Where scripts/setup.mjs looks for the pinned binary; it reports the pinned version, so nothing is rebuilt.
COPY --from=cometbft /out/cometbft /app/.bin/cometbft
# The set-up step every checkout runs: npm dependencies (already installed above) and CometBFT (copied
# above) are found in place, and the aind CLI is compiled into dist/ as `npm start` does.
RUN node scripts/setup.mjs
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
# RPC, p2p, REST, Big Storage
EXPOSE 26657 26656 1317 7070
ENTRYPOINT ["node", "cmd/aind.js"]
CMD ["--help"]
