# Meshplane image: the Argo CD plugin sidecar (docs/argocd.md), the server (docs/server.md) and a CI
# tool (`meshplane diff --base <rev>`, docs/diff.md).
#
# Stage 1 installs with `npm ci` (which builds the jsonnet addon with cmake and g++, re-links it
# with $ORIGIN-relative library paths and compiles dist/), then lays out the runtime tree with
# scripts/runtime-tree.mjs: the package's published files, production dependencies, and of the
# addon only its two binaries. Stage 2 is the slim base plus that tree and git: no build tree, no
# compilers, no dev dependencies. The relocation test (test/argocd/relocation.test.ts) copies the
# same tree to another prefix and renders every example from it as uid 999.

# One base for both stages, pinned by digest: the addon is built against the exact glibc and
# libstdc++ it runs with. Node 26 is the active LTS line. The digest is the multi-arch index of
# node:26.10.0-bookworm-slim. Renovate bumps tag and digest together through the regex manager in
# renovate.json, which matches the comment line below and the ARG after it.
# renovate: datasource=docker depName=node
ARG NODE_IMAGE=node:26.10.0-bookworm-slim@sha256:662933cf47f013bc8e4beb31a6116448427a82057ba7c42c97e4c5ba766504c2

FROM ${NODE_IMAGE} AS build
# What the addon's install script needs: cmake-js drives cmake, which compiles with g++ via make.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends cmake g++ make \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY package.json package-lock.json tsconfig.json README.md plugin.yaml ./
COPY scripts/ scripts/
COPY src/ src/
COPY schemas/ schemas/
COPY catalog/ catalog/
COPY templates/ templates/
COPY bin/ bin/
# The build makes the bundle's V8 code cache by running one generate of examples/canary (scripts/bundle.mjs).
COPY examples/ examples/
# npm ci runs the addon's install script (approved in package.json `allowScripts`) and then our
# `prepare` script, which makes the addon relocatable and builds dist/ (tsc + the validator).
RUN npm ci --no-audit --no-fund \
 && node scripts/runtime-tree.mjs /opt/meshplane

FROM ${NODE_IMAGE}
# git: `meshplane diff --base <rev>` reads the base revision with git (CI use of the image).
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends git ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /opt/meshplane/ /opt/meshplane/
RUN ln -s /opt/meshplane/bin/meshplane /usr/local/bin/meshplane
# argocd-cmp-server reads exactly this file (its --config-dir-path default + plugin.yaml).
COPY plugin.yaml /home/argocd/cmp-server/config/plugin.yaml
ENV NODE_ENV=production \
    HOME=/tmp
WORKDIR /tmp
# The sidecar runs as uid 999 (Argo CD's user); HOME=/tmp is the sidecar's own emptyDir.
USER 999
# The entrypoint is stated, and empty: the base image's docker-entrypoint.sh is dropped, so what a
# pod or `docker run` names is exec'd directly as PID 1. In argocd-repo-server the container's
# `command` is /var/run/argocd/argocd-cmp-server (put on the shared var-files volume by Argo CD's
# copyutil init container, so it always matches the running Argo CD version); Kubernetes `command`
# replaces the entrypoint anyway, and with an empty one `args`-only specs cannot end up wrapped.
# The server container runs `meshplane serve`; CI runs `meshplane diff ...` or a shell.
ENTRYPOINT []
CMD ["meshplane", "--help"]
