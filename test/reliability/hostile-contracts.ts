/**
 * Hostile cases of the contract classes (secrets, Disabled mode, composed names, the markdown
 * comment cap, server options), in the corpus's spirit: each names its expected exit code (or
 * HTTP status), what stdout must (not) hold, and a stderr pattern. Kept apart from
 * test/cases/hostile/ (another helper adds cases there); run by hostile-contracts.test.ts.
 * Sources are built at test time: several are hundreds of objects, and a few hold key material
 * that must not sit in Git as a readable file.
 */

/** Which contract a case attacks. */
export type ContractClass = 'secrets' | 'disabled' | 'names' | 'markdown-cap' | 'server-options';

/** A case run through the CLI's main() in-process. */
export interface CliContractCase {
  name: string;
  class: ContractClass;
  /** Source folders by placeholder: `{source}`, or `{base}` and `{head}` for diff. */
  folders: Record<string, Record<string, string>>;
  command: string[];
  exit: number;
  /** 'empty', or patterns stdout must match. */
  stdout: 'empty' | RegExp[];
  /** Patterns stdout must not match (secret text, ...). */
  stdoutNot?: RegExp[];
  /** Most characters stdout may have. */
  stdoutMax?: number;
  stderr: RegExp;
  maxSeconds: number;
}

/** A case sent to a listening server. */
export interface ServerContractCase {
  name: string;
  class: 'server-options';
  route: string;
  body: Record<string, unknown>;
  status: number;
  answer: RegExp;
}

const intent = (extra = '', mode = 'Istio', revisions = '[asm-1-30]'): string =>
  `apiVersion: meshplane.io/v1alpha1\nkind: ServiceMesh\nmetadata: {name: hostile}\nspec:\n  mode: ${mode}\n${mode === 'Istio' ? `  istio: {revisions: ${revisions}}\n` : ''}  cluster: {kubernetesVersion: "1.32"}\n${extra}`;

/** A PEM header and body, assembled so no readable key block sits in this file. */
const PEM = ['-----BEGIN', 'PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAAhostile\n-----END', 'PRIVATE KEY-----'].join(' ');
const b64 = (s: string | Buffer): string => Buffer.from(s).toString('base64');
const indent = (text: string, n: number): string => text.split('\n').map((l) => ' '.repeat(n) + l).join('\n');
const secret = (body: string): string => `apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: shop}\n${body}\n`;
const SECRET_TEXT = 'hunter2-do-not-print';

const longName = (i: number, length: number): string => `cm-${String(i).padStart(4, '0')}-`.padEnd(length, 'x');
const configMaps = (n: number, length: number, value: string): string =>
  Array.from({ length: n }, (_, i) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${longName(i, length)}, namespace: apps}\ndata: {v: "${value}"}\n`).join('---\n');
const peerAuth = (mode: string): string => `apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: {name: default, namespace: shop}\nspec: {mtls: {mode: ${mode}}}\n`;

const generate = ['generate', '{source}'];
const diff = (output: string): string[] => ['diff', '--base', '{base}', '--head', '{head}', '--output', output];
const VIOLATION = /ca-key-in-source/;
/** stderr of a run that succeeds or reports changes: no error line, no stack frame. */
const NO_ERROR = /^(?![\s\S]*(error\[|\n\s+at ))/;

/** The CLI cases. */
export const CLI_CONTRACT_CASES: readonly CliContractCase[] = [
  { name: 'secrets: a PEM key after an ENC[ prefix', class: 'secrets', folders: { source: { 'mesh.yaml': intent(), 'ca.yaml': secret(`stringData:\n  bundle: |\n${indent(`ENC[\n${PEM}\n]`, 4)}`) } }, command: generate, exit: 1, stdout: 'empty', stderr: VIOLATION, maxSeconds: 30 },
  { name: 'secrets: base64 of an ENC[-prefixed key in data', class: 'secrets', folders: { source: { 'mesh.yaml': intent(), 'ca.yaml': secret(`data:\n  bundle: ${b64(`ENC[AES256_GCM, ${PEM}`)}`) } }, command: generate, exit: 1, stdout: 'empty', stderr: VIOLATION, maxSeconds: 30 },
  { name: 'secrets: a key as a scalar stringData', class: 'secrets', folders: { source: { 'mesh.yaml': intent(), 'ca.yaml': secret(`stringData: |\n${indent(PEM, 2)}`) } }, command: generate, exit: 1, stdout: 'empty', stderr: VIOLATION, maxSeconds: 30 },
  { name: 'secrets: a key posing as SOPS ciphertext', class: 'secrets', folders: { source: { 'mesh.yaml': intent(), 'ca.yaml': secret(`stringData:\n  k: ENC[AES256_GCM,data:${b64(PEM)},iv:${b64(Buffer.alloc(32, 1))},tag:${b64(Buffer.alloc(16, 2))},type:str]`) } }, command: generate, exit: 1, stdout: 'empty', stderr: VIOLATION, maxSeconds: 30 },
  { name: 'secrets: a ca-key.pem that only starts with ENC[', class: 'secrets', folders: { source: { 'mesh.yaml': intent(), 'ca.yaml': secret('stringData:\n  ca-key.pem: "ENC[trust me]"') } }, command: generate, exit: 1, stdout: 'empty', stderr: VIOLATION, maxSeconds: 30 },
  { name: 'secrets: a scalar stringData in a diff', class: 'secrets', folders: { base: { 'mesh.yaml': intent() }, head: { 'mesh.yaml': intent(), 's.yaml': secret(`stringData: ${SECRET_TEXT}`) } }, command: diff('text'), exit: 1, stdout: [/core\/Secret\/shop\/s/], stdoutNot: [/hunter2/], stderr: NO_ERROR, maxSeconds: 60 },
  { name: 'secrets: a nested stringData change in a diff', class: 'secrets', folders: { base: { 'mesh.yaml': intent(), 's.yaml': secret(`stringData: {a: {b: [${SECRET_TEXT}-old]}}`) }, head: { 'mesh.yaml': intent(), 's.yaml': secret(`stringData: {a: {b: [${SECRET_TEXT}-new]}}`) } }, command: diff('markdown'), exit: 1, stdout: [/\*\*\* \(after\)/], stdoutNot: [/hunter2/], stderr: NO_ERROR, maxSeconds: 60 },
  { name: 'secrets: an undefined Secret field in a json diff', class: 'secrets', folders: { base: { 'mesh.yaml': intent() }, head: { 'mesh.yaml': intent(), 's.yaml': secret(`dat: {k: ${b64(SECRET_TEXT)}}`) } }, command: diff('json'), exit: 1, stdout: [/"core\/Secret\/shop\/s"/], stdoutNot: [/hunter2/, new RegExp(b64(SECRET_TEXT).slice(0, 12))], stderr: NO_ERROR, maxSeconds: 60 },
  { name: 'disabled: Disabled alone', class: 'disabled', folders: { source: { 'mesh.yaml': intent('', 'Disabled') } }, command: generate, exit: 2, stdout: 'empty', stderr: /spec\.disabled\.acknowledgePrune: true/, maxSeconds: 30 },
  { name: 'disabled: acknowledgePrune false', class: 'disabled', folders: { source: { 'mesh.yaml': intent('  disabled: {acknowledgePrune: false}\n', 'Disabled') } }, command: generate, exit: 2, stdout: 'empty', stderr: /would delete the installed mesh/, maxSeconds: 30 },
  { name: 'disabled: acknowledgePrune as a string', class: 'disabled', folders: { source: { 'mesh.yaml': intent('  disabled: {acknowledgePrune: "true"}\n', 'Disabled') } }, command: generate, exit: 2, stdout: 'empty', stderr: /acknowledgePrune/, maxSeconds: 30 },
  { name: 'disabled: Disabled with the user manifests', class: 'disabled', folders: { source: { 'mesh.yaml': intent('', 'Disabled'), 'cm.yaml': configMaps(1, 10, 'x') } }, command: generate, exit: 2, stdout: 'empty', stderr: /error\[intent-invalid\]/, maxSeconds: 30 },
  { name: 'disabled: acknowledged, nothing else', class: 'disabled', folders: { source: { 'mesh.yaml': intent('  disabled: {acknowledgePrune: true}\n', 'Disabled') } }, command: generate, exit: 0, stdout: 'empty', stderr: /^warning: .*no mesh object is rendered/m, maxSeconds: 30 },
  { name: 'disabled: a diff whose head is Disabled', class: 'disabled', folders: { base: { 'mesh.yaml': intent() }, head: { 'mesh.yaml': intent('', 'Disabled') } }, command: diff('text'), exit: 2, stdout: 'empty', stderr: /acknowledgePrune/, maxSeconds: 60 },
  { name: 'names: a 44-character revision tag', class: 'names', folders: { source: { 'mesh.yaml': intent(`  tags: {${'t'.repeat(44)}: asm-1-30}\n`) } }, command: generate, exit: 2, stdout: 'empty', stderr: /spec\.tags/, maxSeconds: 30 },
  { name: 'names: a 53-character revision tag (the old limit)', class: 'names', folders: { source: { 'mesh.yaml': intent(`  tags: {${'t'.repeat(53)}: asm-1-30}\n`) } }, command: generate, exit: 2, stdout: 'empty', stderr: /spec\.tags/, maxSeconds: 30 },
  { name: 'names: an egress gateway name with a dot', class: 'names', folders: { source: { 'mesh.yaml': intent('').replace('istio: {revisions: [asm-1-30]}', 'istio: {revisions: [asm-1-30], components: {egressGateways: [{name: egress.a, enabled: true, gatewayConfigurationName: g}]}}') } }, command: generate, exit: 2, stdout: 'empty', stderr: /egressGateways\[0\]\.name/, maxSeconds: 30 },
  { name: 'markdown-cap: STRICT to PERMISSIVE behind 300 long-named ConfigMaps', class: 'markdown-cap', folders: { base: { 'mesh.yaml': intent(), 'pa.yaml': peerAuth('STRICT'), 'cms.yaml': configMaps(300, 200, 'a') }, head: { 'mesh.yaml': intent(), 'pa.yaml': peerAuth('PERMISSIVE'), 'cms.yaml': configMaps(300, 200, 'b') } }, command: diff('markdown'), exit: 1, stdout: [/- changed <code>security\.istio\.io\/PeerAuthentication<\/code> in <code>shop<\/code> \(1\): <code>default<\/code>/, /\*\*Every changed resource \(301\) is listed\*\*/, /-\s+mode: STRICT\n\+\s+mode: PERMISSIVE/], stdoutMax: 65_536, stderr: NO_ERROR, maxSeconds: 120 },
  { name: 'markdown-cap: 1500 names near the 253 limit', class: 'markdown-cap', folders: { base: { 'mesh.yaml': intent() }, head: { 'mesh.yaml': intent(), 'pa.yaml': peerAuth('PERMISSIVE'), 'cms.yaml': configMaps(1500, 250, 'a') } }, command: diff('markdown'), exit: 1, stdout: [/- added <code>security\.istio\.io\/PeerAuthentication<\/code> in <code>shop<\/code>/, /counted by change and type: \d+ added core\/ConfigMap/], stdoutMax: 65_536, stderr: NO_ERROR, maxSeconds: 180 },
];

/** The server cases (each sent after the same request without the bad option was answered). */
export const SERVER_CONTRACT_CASES: readonly ServerContractCase[] = [
  { name: 'render: a NUL now', class: 'server-options', route: '/v1/render', body: { options: { now: '\u0000' } }, status: 400, answer: /--now must be a date/ },
  { name: 'render: an empty now', class: 'server-options', route: '/v1/render', body: { options: { now: '' } }, status: 400, answer: /--now must be a date/ },
  { name: 'render: a NUL kubeVersion', class: 'server-options', route: '/v1/render', body: { options: { kubeVersion: '\u0000' } }, status: 400, answer: /kube-version-invalid/ },
  { name: 'check: an impossible date', class: 'server-options', route: '/v1/check', body: { options: { now: '2026-02-30' } }, status: 400, answer: /--now must be a date/ },
  { name: 'check: a 2.x kubeVersion', class: 'server-options', route: '/v1/check', body: { options: { kubeVersion: '2.0' } }, status: 400, answer: /kube-version-invalid/ },
];
