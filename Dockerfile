# Meshplane Argo CD plugin sidecar image (docs/argocd.md).
#
# Stage 1 compiles TypeScript and builds the jsonnet addon (@hanazuki/node-jsonnet compiles
# libjsonnet with cmake and g++ in its install script); stage 2 carries only what `meshplane
# generate` and `meshplane parameters` need at run time. Node 24 is the current LTS line.

FROM node:24-bookworm AS build
# cmake is the one build tool the node image lacks (g++, make and python3 are in it).
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends cmake \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY package.json package-lock.json tsconfig.json ./
COPY scripts/ scripts/
COPY src/ src/
COPY schemas/ schemas/
COPY catalog/ catalog/
COPY templates/ templates/
COPY bin/ bin/
# npm ci runs the addon's install script (approved in package.json `allowScripts`) and then our
# `prepare` script, which checks the addon loads and builds dist/ (tsc + the precompiled validator).
RUN npm ci --no-audit --no-fund \
 && npm prune --omit=dev --no-audit --no-fund

FROM node:24-bookworm-slim
ENV NODE_ENV=production \
    HOME=/tmp
WORKDIR /opt/meshplane
COPY --from=build /src/package.json ./
COPY --from=build /src/node_modules/ node_modules/
COPY --from=build /src/dist/ dist/
COPY --from=build /src/bin/ bin/
COPY --from=build /src/schemas/ schemas/
COPY --from=build /src/catalog/ catalog/
COPY --from=build /src/templates/ templates/
RUN ln -s /opt/meshplane/bin/meshplane /usr/local/bin/meshplane
# argocd-cmp-server reads exactly this file (its --config-dir-path default + plugin.yaml).
WORKDIR /home/argocd/cmp-server/config
COPY plugin.yaml ./
# The sidecar must run as uid 999 (Argo CD's user); HOME=/tmp is the sidecar's own emptyDir.
USER 999
# No ENTRYPOINT or CMD: the repo-server Deployment runs /var/run/argocd/argocd-cmp-server, which
# Argo CD's copyutil init container puts on the shared var-files volume, so the server binary
# always matches the running Argo CD version (see deploy/argocd/repo-server-sidecar.yaml).
