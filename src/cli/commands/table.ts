/**
 * THE command table: every command of `meshplane`, its subcommands, flags (name, alias, type,
 * default, description, environment variable, choices) and positionals, as data. Parsing, help,
 * shell completion, docs/cli.md's environment table and the README command reference all come
 * from here. Adding a command = one entry below (its `load` points at the handler module).
 *
 * This module must stay light: it imports no handler, so `meshplane --help`, completion and the
 * cold `generate` path never load express, prom-client or @kubernetes/client-node. Choice lists
 * that the code also holds (report formats, server defaults) are written here and checked
 * against the code by table.test.ts.
 */
import { KUBE_VERSION_FLAG, NOW_FLAG, outputFlag, VERBOSE_FLAG, type CommandSpec, type FlagDef, type PositionalDef } from '../spec.js';

/** `--kubeconfig`, `--context`, `--timeout` of every command that reads a live cluster (preflight, upgrade status, upgrade restart). */
const KUBECONFIG_FLAG: FlagDef = { type: 'string', valueName: 'PATH', env: 'KUBECONFIG', envReadBy: 'render', description: 'kubeconfig file (default: KUBECONFIG, else ~/.kube/config, else in-cluster)' };
const CONTEXT_FLAG: FlagDef = { type: 'string', valueName: 'NAME', description: 'kubeconfig context of the cluster (default: the current one)' };
const TIMEOUT_FLAG: FlagDef = { type: 'string', valueName: 'SECONDS', default: '30', description: 'deadline of each API request (at most 600)' };

const DIR: PositionalDef = { name: 'dir', optional: true, default: '.', description: 'the folder holding mesh.yaml' };

/** generate and post-render read these two through the Argo CD plugin env (src/integrations/argocd/build-env.ts). */
const ARGO_NOW: FlagDef = { ...NOW_FLAG, env: 'ARGOCD_ENV_MESHPLANE_NOW', envReadBy: 'render' };
const ARGO_VERBOSE: FlagDef = { ...VERBOSE_FLAG, env: 'ARGOCD_ENV_MESHPLANE_VERBOSE', envReadBy: 'render' };
const DRY_RUN: FlagDef = { type: 'boolean', default: false, description: 'print the edited mesh.yaml on stdout instead of writing it' };

/** Every command, in the order `meshplane --help` lists them. */
export const COMMAND_TABLE: readonly CommandSpec[] = [
  {
    name: 'generate',
    summary: 'render the mesh intent in a folder into Kubernetes manifests (stdout)',
    docs: 'docs/argocd.md',
    positionals: [DIR],
    flags: {
      output: outputFlag(['yaml', 'json'], 'manifest format'),
      format: { type: 'string', valueName: 'FORMAT', deprecatedFor: 'output', description: 'deprecated spelling of -o/--output' },
      'kube-version': KUBE_VERSION_FLAG,
      now: ARGO_NOW,
      'output-dir': { type: 'string', valueName: 'DIR', description: 'write one file per object plus kustomization.yaml into DIR (for Flux) instead of stdout' },
      force: { type: 'boolean', default: false, description: 'with --output-dir: replace a folder that holds other files' },
      server: { type: 'string', valueName: 'URL', env: 'MESHPLANE_SERVER', description: 'render on a Meshplane server (token from MESHPLANE_TOKEN or MESHPLANE_TOKEN_FILE)' },
      verbose: ARGO_VERBOSE,
    },
    examples: ['meshplane generate examples/canary', 'KUBE_VERSION=v1.32.3 meshplane generate .', 'meshplane generate examples/canary -o json', 'meshplane generate . --server http://127.0.0.1:8686'],
    load: async () => (await import('./generate.js')).runGenerateCommand,
  },
  {
    name: 'check',
    summary: 'check a mesh source against the guardrails and print a report (exit 1 on error findings)',
    docs: 'docs/guardrails.md',
    positionals: [DIR],
    flags: {
      output: outputFlag(['text', 'json', 'sarif', 'junit', 'markdown'], 'report format'),
      now: NOW_FLAG,
      'kube-version': KUBE_VERSION_FLAG,
      verbose: VERBOSE_FLAG,
    },
    examples: ['meshplane check examples/canary', 'meshplane check . -o sarif > meshplane.sarif', 'KUBE_API_VERSIONS=v1,apps/v1 meshplane check . --now 2027-01-31 --output junit'],
    load: async () => (await import('./check.js')).runCheckCommand,
  },
  {
    name: 'diff',
    summary: 'render two versions of a mesh (folders or git revisions) and show what changes, per resource',
    docs: 'docs/diff.md',
    flags: {
      base: { type: 'string', valueName: 'DIR|REV', description: 'the old side: a folder or a git revision (required)' },
      head: { type: 'string', valueName: 'DIR|REV', description: 'the new side: a folder or a git revision (required)' },
      path: { type: 'string', valueName: 'DIR', description: 'the app folder inside the repository (for revisions) or inside both folders' },
      output: outputFlag(['text', 'markdown', 'json'], 'report format'),
      'exit-zero': { type: 'boolean', default: false, description: 'exit 0 even when there are changes' },
      'base-catalog': { type: 'string', valueName: 'DIR', description: "render the base side with this catalog folder (another Meshplane release's catalog/ or root folder); --base defaults to --head, so the diff shows only what the catalog change does" },
      'head-catalog': { type: 'string', valueName: 'DIR', description: 'render the head side with this catalog folder instead of the running one; --head defaults to --base' },
      'show-noise': { type: 'boolean', default: false, description: 'also show changes that are only noise (generated values)' },
      context: { type: 'string', valueName: 'N', default: '3', description: 'unchanged lines shown around each change (0 to 1000)' },
      'kube-version': KUBE_VERSION_FLAG,
      now: NOW_FLAG,
      verbose: VERBOSE_FLAG,
    },
    examples: ['meshplane diff --base origin/main --head HEAD --path clusters/prod/mesh', 'meshplane diff --base examples/single-revision --head examples/canary -o markdown', 'meshplane diff --head clusters/prod/mesh --base-catalog old-meshplane/package/catalog -o markdown'],
    load: async () => (await import('./diff.js')).runDiffCommand,
  },
  {
    name: 'post-render',
    summary: 'Helm post-renderer: check the manifests on stdin against the guardrails and print them (stdout)',
    docs: 'docs/post-render.md',
    flags: {
      intent: { type: 'string', valueName: 'FILE', env: 'MESHPLANE_INTENT', description: 'the mesh.yaml of the cluster the release goes to' },
      revision: { type: 'string', multiple: true, valueName: 'REV', description: 'without --intent: a revision installed in the cluster (repeatable)' },
      tag: { type: 'string', multiple: true, valueName: 'NAME=REV', description: 'without --intent: a revision tag (repeatable)' },
      'kube-version': KUBE_VERSION_FLAG,
      'label-revision': { type: 'string', valueName: 'REV', description: 'label namespaces of the release with istio.io/rev=REV' },
      'report-file': { type: 'string', valueName: 'FILE', env: 'MESHPLANE_REPORT_FILE', description: 'also write what goes to stderr (findings, errors) to FILE, replaced on every run: Helm 4 never shows a post-renderer plugin\'s stderr' },
      now: NOW_FLAG,
      verbose: VERBOSE_FLAG,
    },
    examples: ['helm template shop ./chart | meshplane post-render --intent clusters/prod/mesh.yaml', 'helm template shop ./chart | meshplane post-render --revision asm-1-28 --kube-version 1.32 --label-revision asm-1-28', 'helm template shop ./chart | meshplane post-render --intent mesh.yaml --report-file meshplane-report.txt'],
    load: async () => (await import('./post-render.js')).runPostRenderCommand,
  },
  {
    name: 'upgrade',
    summary: 'plan, start, advance (namespace waves), complete or roll back a canary revision upgrade (edits mesh.yaml in place); status of the rollout in a cluster',
    docs: 'docs/upgrades.md',
    flags: {},
    examples: ['meshplane upgrade plan .', 'meshplane upgrade start asm-1-28 .', 'meshplane upgrade advance .', 'meshplane upgrade complete .', 'meshplane upgrade rollback . --dry-run', 'meshplane upgrade status . --context prod --gate complete'],
    load: async () => (await import('./upgrade.js')).runUpgradeCommand,
    subcommands: [
      {
        name: 'plan',
        summary: 'list the revisions this mesh may move to, with what blocks each',
        positionals: [DIR],
        flags: { 'kube-version': KUBE_VERSION_FLAG, now: NOW_FLAG, output: outputFlag(['text', 'json'], 'plan format') },
        examples: ['meshplane upgrade plan .', 'meshplane upgrade plan . --kube-version 1.33 -o json'],
      },
      {
        name: 'start',
        summary: 'add a canary revision next to the current one',
        positionals: [{ name: 'revision', description: 'the revision to add, e.g. asm-1-28' }, DIR],
        flags: { 'kube-version': KUBE_VERSION_FLAG, now: NOW_FLAG, 'dry-run': DRY_RUN },
        examples: ['meshplane upgrade start asm-1-28 .', 'meshplane upgrade start asm-1-28 clusters/prod/mesh --dry-run'],
      },
      { name: 'advance', summary: 'move the next namespace wave (spec.upgrade.waves) to the canary revision', positionals: [DIR], flags: { 'dry-run': DRY_RUN }, examples: ['meshplane upgrade advance .', 'meshplane upgrade advance clusters/prod/mesh --dry-run'] },
      { name: 'complete', summary: 'keep the canary revision and remove the old one (refused while a wave or a tag is still on the old one)', positionals: [DIR], flags: { 'dry-run': DRY_RUN }, examples: ['meshplane upgrade complete .'] },
      { name: 'rollback', summary: 'remove the canary revision and keep the old one (refused while a wave or a tag is still on the canary)', positionals: [DIR], flags: { 'dry-run': DRY_RUN }, examples: ['meshplane upgrade rollback . --dry-run'] },
      {
        name: 'status',
        summary: 'per wave and namespace in a live cluster: which revision pods run, what needs a restart, whether it is safe to advance or complete (exit 1: not safe yet)',
        positionals: [DIR],
        flags: {
          context: CONTEXT_FLAG,
          kubeconfig: KUBECONFIG_FLAG,
          gate: { type: 'string', default: 'next', choices: ['next', 'advance', 'complete'], description: 'the step whose safety sets the exit code: next (advance while a wave has not moved, then complete), advance or complete' },
          output: outputFlag(['text', 'json', 'markdown'], 'report format'),
          timeout: TIMEOUT_FLAG,
        },
        examples: ['meshplane upgrade status . --context prod', 'meshplane upgrade status . --context prod --gate complete -o markdown'],
      },
      {
        name: 'restart',
        summary: 'once istiod-<revision> is available, restart (like `kubectl rollout restart`) the Deployments, StatefulSets and DaemonSets of the named namespaces whose pods do not run the revision (exit 1: a patch failed; exit 2: istiod not available within --istiod-wait); the restart hook runs it',
        flags: {
          namespaces: { type: 'string', valueName: 'A,B', description: "comma-separated namespaces whose workloads to restart (the moved wave's namespaces; required)" },
          revision: { type: 'string', valueName: 'REVISION', description: 'the revision the pods should run (the canary the wave moved to), e.g. asm-1-29 (required)' },
          context: CONTEXT_FLAG,
          kubeconfig: KUBECONFIG_FLAG,
          'dry-run': { type: 'boolean', default: false, description: 'list what would be restarted; patch nothing' },
          output: outputFlag(['text', 'json'], 'report format'),
          timeout: TIMEOUT_FLAG,
          'istiod-wait': { type: 'string', valueName: 'SECONDS', description: 'the longest wait for Deployment istiod-<revision> in aks-istio-system to be available before anything is restarted, 0 to 600 (0: read it once; default 300)' },
        },
        examples: ['meshplane upgrade restart --namespaces shop,orders --revision asm-1-29 --context prod', 'meshplane upgrade restart --namespaces shop --revision asm-1-29 --dry-run -o json'],
      },
      {
        name: 'patch',
        summary: 'bump meshplane.lock.yaml to the newest patch of each pinned revision and print a PR title and body',
        positionals: [DIR],
        flags: { 'dry-run': { type: 'boolean', default: false, description: 'print the PR text without writing the lock' }, output: outputFlag(['text', 'json'], 'PR text or JSON') },
        examples: ['meshplane upgrade patch .', 'meshplane upgrade patch clusters/prod/mesh --dry-run -o json'],
      },
    ],
  },
  {
    name: 'lock',
    summary: 'pin the Istio patch and catalog decisions of each revision in meshplane.lock.yaml (commit it)',
    docs: 'docs/lock.md',
    positionals: [DIR],
    flags: {
      update: { type: 'boolean', default: false, description: "re-pin every revision from this Meshplane's catalog (newest patch, current behaviour switches) instead of only adding missing pins" },
      check: { type: 'boolean', default: false, description: 'write nothing; exit 1 when the lock is missing or would change (for CI)' },
    },
    examples: ['meshplane lock .', 'meshplane lock clusters/prod/mesh --check', 'meshplane lock . --update'],
    load: async () => (await import('./lock.js')).runLockCommand,
  },
  {
    name: 'fleet',
    summary: 'report every cluster of a fleet folder: revisions, end of life, upgrade, guardrails (exit 1 when one needs action)',
    docs: 'docs/fleet.md',
    positionals: [{ name: 'dir', description: 'the folder that holds the cluster folders (one mesh intent each)' }],
    flags: {
      output: outputFlag(['text', 'json', 'markdown', 'html'], 'report format (html: a self-contained page with a support timeline)'),
      now: NOW_FLAG,
      render: { type: 'boolean', default: false, description: "evaluate the templates too, so each verdict is exactly `meshplane check`'s (slower: one render per cluster)" },
    },
    examples: ['meshplane fleet clusters', 'meshplane fleet clusters -o html > fleet.html', 'meshplane fleet . --output json --now 2027-01-31'],
    load: async () => (await import('./fleet.js')).runFleetCommand,
  },
  {
    name: 'images',
    summary: 'list every image the mesh needs (istiod, proxy, CNI agent, preflight hook), for mirroring',
    docs: 'docs/images.md',
    positionals: [DIR],
    flags: {
      output: outputFlag(['text', 'json'], 'text (one image per line, sorted) or json (image, purpose, source objects, and with spec.images.registry the default image to copy from)'),
      'kube-version': KUBE_VERSION_FLAG,
      now: NOW_FLAG,
      verbose: VERBOSE_FLAG,
    },
    examples: ['meshplane images examples/full', 'meshplane images . -o json'],
    load: async () => (await import('./images.js')).runImagesCommand,
  },
  {
    name: 'import',
    summary: "turn `az aks show` JSON (or its serviceMeshProfile) and the add-on's shared mesh ConfigMaps into a mesh.yaml (stdout)",
    docs: 'docs/upgrades.md',
    flags: {
      aks: { type: 'string', valueName: 'FILE|-', description: 'the JSON printed by `az aks show` (- reads stdin; required)' },
      'shared-configmap': { type: 'string', multiple: true, valueName: 'FILE', description: "a dump of the add-on's istio-shared-configmap-<revision> (`kubectl get cm -n aks-istio-system … -o yaml`); its data.mesh becomes spec.meshConfig; repeatable" },
      name: { type: 'string', valueName: 'NAME', description: 'metadata.name of the mesh (default: from the cluster name)' },
      'kube-version': { type: 'string', valueName: 'VERSION', description: 'spec.cluster.kubernetesVersion to write (default: from the JSON)' },
      'tenant-id': { type: 'string', valueName: 'ID', description: 'Azure tenant of the Key Vault plug-in CA' },
      'identity-client-id': { type: 'string', valueName: 'ID', description: 'client id of the identity that reads the Key Vault' },
    },
    examples: ['az aks show -g prod-rg -n prod-aks -o json > aks.json && meshplane import --aks aks.json > mesh.yaml', 'meshplane import --aks aks.json --shared-configmap shared-asm-1-28.yaml > mesh.yaml', 'az aks show -g prod-rg -n prod-aks --query serviceMeshProfile -o json | meshplane import --aks - --name prod --kube-version 1.32'],
    load: async () => (await import('./import.js')).runImportCommand,
  },
  {
    name: 'preflight',
    summary: 'check the live cluster before a sync: OSM, the managed AKS add-on, foreign Istio, Kubernetes version, Windows/virtual-node workloads, downgrades',
    docs: 'docs/preflight.md',
    positionals: [DIR],
    flags: {
      kubeconfig: KUBECONFIG_FLAG,
      context: CONTEXT_FLAG,
      output: outputFlag(['text', 'json'], 'report format'),
      timeout: TIMEOUT_FLAG,
      verbose: VERBOSE_FLAG,
    },
    examples: ['meshplane preflight examples/canary --context prod-aks', 'meshplane preflight . --kubeconfig ~/.kube/prod -o json'],
    load: async () => (await import('./preflight.js')).runPreflightCommand,
  },
  {
    name: 'parameters',
    summary: 'print the Argo CD parameter announcements (JSON) for the mesh intent in a folder',
    docs: 'docs/argocd.md',
    positionals: [DIR],
    flags: {},
    examples: ['meshplane parameters examples/canary'],
    load: async () => (await import('./parameters.js')).runParametersCommand,
  },
  {
    name: 'serve',
    summary: 'run the Meshplane HTTP server: render, check, diff and post-render for many callers, warm and cached',
    docs: 'docs/server.md',
    flags: {
      host: { type: 'string', valueName: 'ADDR', default: '127.0.0.1', description: 'address to listen on' },
      port: { type: 'string', valueName: 'PORT', default: '8686', description: 'port to listen on (0: any free port)' },
      'token-file': { type: 'string', valueName: 'FILE', description: 'file holding the bearer token (else MESHPLANE_TOKEN)' },
      'insecure-allow-unauthenticated': { type: 'boolean', default: false, description: 'serve without a token (refused on a non-loopback address unless given)' },
      'tls-cert': { type: 'string', valueName: 'FILE', env: 'MESHPLANE_TLS_CERT', envReadBy: 'render', description: 'PEM certificate (chain) file: serve HTTPS (needs --tls-key)' },
      'tls-key': { type: 'string', valueName: 'FILE', env: 'MESHPLANE_TLS_KEY', envReadBy: 'render', description: 'PEM private key file of --tls-cert' },
      'max-body-bytes': { type: 'string', valueName: 'N', defaultText: '33554432', description: 'largest request body' },
      'max-concurrent': { type: 'string', valueName: 'N', defaultText: 'cores - 1', description: 'renders at once' },
      workers: { type: 'string', valueName: 'N', defaultText: '--max-concurrent', description: 'render worker threads (0: render on the main thread)' },
      'max-queue': { type: 'string', valueName: 'N', defaultText: '64', description: 'requests waiting for a render slot before 503' },
      'deadline-ms': { type: 'string', valueName: 'MS', defaultText: '30000', description: 'deadline of one request, queue wait included' },
      'cache-bytes': { type: 'string', valueName: 'N', defaultText: '268435456', description: 'size of the answer cache' },
      'log-level': { type: 'string', valueName: 'LEVEL', choices: ['info', 'fatal', 'error', 'warn', 'debug', 'silent'], default: 'info', description: 'log level of the JSON logs on stderr' },
    },
    examples: ['meshplane serve --port 8686', 'MESHPLANE_TOKEN=$(cat /var/run/secrets/meshplane/token) meshplane serve --host 0.0.0.0 --port 8686', 'meshplane serve --host 0.0.0.0 --token-file /var/run/secrets/meshplane/token --tls-cert /var/run/secrets/meshplane-tls/tls.crt --tls-key /var/run/secrets/meshplane-tls/tls.key'],
    load: async () => (await import('./serve.js')).runServeCommand,
  },
  {
    name: 'completion',
    summary: 'print a shell completion script (bash, zsh or fish) for every command and flag',
    positionals: [{ name: 'shell', description: 'bash, zsh or fish' }],
    flags: {},
    examples: ['source <(meshplane completion bash)', 'meshplane completion zsh > "${fpath[1]}/_meshplane"', 'meshplane completion fish > ~/.config/fish/completions/meshplane.fish'],
    load: async () => (await import('./completion.js')).runCompletionCommand,
  },
  {
    name: 'version',
    summary: 'print the version, build, Node.js and catalog of this meshplane',
    flags: { output: outputFlag(['text', 'json'], 'version format') },
    examples: ['meshplane version', 'meshplane version -o json'],
    load: async () => (await import('./version.js')).runVersionCommand,
  },
  {
    name: 'help',
    summary: 'print the help of a command (`meshplane help upgrade plan`)',
    positionals: [{ name: 'command', optional: true, variadic: true, description: 'the command (and subcommand) to explain' }],
    flags: {},
    examples: ['meshplane help', 'meshplane help generate', 'meshplane help upgrade start'],
  },
];

