/**
 * Every function, macro, operator and variable the rendered admission policy's CEL uses must exist
 * in the CEL environment the API server compiles a NEW expression with, on every Kubernetes minor
 * the policy is rendered for (ADMISSION_POLICY_MIN_MINOR up to the newest minor of
 * catalog/revisions.yaml). The facts are written down below from Kubernetes' own source; the
 * expressions are parsed with @marcbachmann/cel-js and every name in them is looked up.
 *
 * Facts (k8s.io/apiserver, read at tags v0.30.0 … v0.36.0, i.e. Kubernetes 1.30 … 1.36):
 * - pkg/cel/environment/base.go, baseOpts: the CEL standard definitions plus the Kubernetes URL,
 *   regex and list libraries are in every environment (IntroducedVersion 1.0); authorizer
 *   library 1.27; optional types, cross-type numeric comparison and quantity 1.28; strings v2
 *   and sets 1.29 (strings v0 from 1.0 until then); IP and CIDR 1.30; format and authorizer
 *   selectors 1.31; two-variable comprehensions 1.32; semver 1.33.
 * - the same file, DefaultCompatibilityVersion: a new (not yet stored) expression is compiled
 *   with the libraries of that version: fixed at 1.29 in v0.30.0, the binary's minimum
 *   compatibility version (its own minor minus one) from v0.31.0. So on Kubernetes 1.M a
 *   library is usable when it was introduced at 1.(M-1) or earlier.
 * - pkg/admission/plugin/cel/compile.go (v0.30.0), mustBuildEnvs: the variables object,
 *   oldObject, request and namespaceObject always; params only with a paramKind; authorizer and
 *   authorizer.requestResource only where the caller asks for them.
 * - kubernetes/kubernetes pkg/apis/admissionregistration/validation/validation.go: variables and
 *   validations are compiled with the authorizer and (with spec.variables) the composition
 *   `variables`; messageExpression without the authorizer; matchConditions with the stateless
 *   compiler, so without `variables`.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse } from '@marcbachmann/cel-js';
import { loadCatalog } from '../../src/catalog/catalog.js';
import { JsonnetEngine } from '../../src/engine/template-engine.js';
import { ADMISSION_POLICY_MIN_MINOR, policyInput } from '../../src/pipeline/resolve.js';
import type { ServiceMesh } from '../../src/intent/types.js';
import { REPO_ROOT } from '../helpers/cli.js';

/** Where a name comes from, and the first Kubernetes minor whose CEL environment has it. */
interface Available { since: number; from: string }

const STANDARD: Available = { since: 0, from: 'CEL standard definitions (base.go, 1.0)' };
const standard = (names: string[]): Record<string, Available> => Object.fromEntries(names.map((n) => [n, STANDARD]));

/**
 * Functions, macros and operators by the name @marcbachmann/cel-js gives them in its AST. Why
 * these entries: the standard ones the policy uses or may plausibly use, plus the first function
 * of each later library, so a change that reaches for one is caught with the version it needs.
 */
const FUNCTIONS: Record<string, Available> = {
  ...standard(['==', '!=', '<', '<=', '>', '>=', '&&', '||', '!_', '-_', '?:', '+', '-', '*', '/', '%', 'in', '.', '[]', 'list', 'map', 'value', 'id']),
  ...standard(['has', 'exists', 'all', 'exists_one', 'filter', 'size', 'contains', 'startsWith', 'endsWith', 'matches', 'string', 'int', 'uint', 'double', 'bool', 'type', 'dyn']),
  isSorted: { since: 0, from: 'library.Lists (base.go, 1.0)' },
  find: { since: 0, from: 'library.Regex (base.go, 1.0)' },
  url: { since: 0, from: 'library.URLs (base.go, 1.0)' },
  lowerAscii: { since: 0, from: 'ext.Strings (base.go, v0 from 1.0, v2 from 1.29)' },
  '.?': { since: 28, from: 'cel.OptionalTypes (base.go, 1.28)' },
  quantity: { since: 28, from: 'library.Quantity (base.go, 1.28)' },
  'sets.contains': { since: 29, from: 'ext.Sets (base.go, 1.29)' },
  ip: { since: 30, from: 'library.IP (base.go, 1.30)' },
  cidr: { since: 30, from: 'library.CIDR (base.go, 1.30)' },
  format: { since: 31, from: 'library.Format (base.go, 1.31)' },
  semver: { since: 33, from: 'library.SemverLib (base.go, 1.33)' },
};

/** The macros whose first argument binds a new identifier (not a root variable). */
const BINDING_MACROS = new Set(['exists', 'all', 'exists_one', 'filter', 'map']);

/** Root variables each field of the policy may read (compile.go and validation.go, above). */
const ROOTS: Record<'matchConditions' | 'variables' | 'validations' | 'messageExpression', string[]> = {
  matchConditions: ['object', 'oldObject', 'request', 'namespaceObject', 'authorizer'],
  variables: ['object', 'oldObject', 'request', 'namespaceObject', 'authorizer', 'variables'],
  validations: ['object', 'oldObject', 'request', 'namespaceObject', 'authorizer', 'variables'],
  messageExpression: ['object', 'oldObject', 'request', 'namespaceObject', 'variables'],
};

interface Node { op: string; args: unknown }

/** The function/operator names and the free root identifiers of one CEL expression. */
function namesOf(expression: string): { functions: Set<string>; roots: Set<string> } {
  const functions = new Set<string>();
  const roots = new Set<string>();
  const bound = new Set<string>();
  const isNode = (x: unknown): x is Node => typeof x === 'object' && x !== null && 'op' in x;
  const visit = (x: unknown): void => {
    if (Array.isArray(x)) return x.forEach(visit);
    if (!isNode(x)) return;
    functions.add(x.op);
    if (x.op === 'id') {
      if (!bound.has(x.args as string)) roots.add(x.args as string);
      return;
    }
    if (x.op === 'call' || x.op === 'rcall') {
      const args = x.args as unknown[];
      const name = args[0] as string;
      functions.delete(x.op);
      functions.add(name);
      const callArgs = (x.op === 'rcall' ? args[2] : args[1]) as unknown[];
      if (x.op === 'rcall' && BINDING_MACROS.has(name) && isNode(callArgs[0]) && callArgs[0].op === 'id') bound.add(callArgs[0].args as string);
      if (x.op === 'rcall') visit(args[1]);
      return visit(x.op === 'rcall' && BINDING_MACROS.has(name) ? callArgs.slice(1) : callArgs);
    }
    visit(x.args);
  };
  visit(parse(expression).ast);
  return { functions, roots };
}

interface Policy {
  spec: {
    matchConditions?: Array<{ expression: string }>;
    variables: Array<{ expression: string }>;
    validations: Array<{ expression: string; messageExpression?: string }>;
  };
}

/** A mesh with one unexpired exception of each enforced rule, so the waiver expressions are not `false`. */
const mesh = {
  apiVersion: 'meshplane.io/v1alpha1',
  kind: 'ServiceMesh',
  metadata: { name: 'm' },
  spec: {
    mode: 'Istio',
    policy: {
      exceptions: [
        { rule: 'forbidden-kind', resource: 'networking.istio.io/EnvoyFilter/shop/lua', reason: 'r', expires: '2030-01-01' },
        { rule: 'gateway-api-unsupported', resource: 'gateway.networking.k8s.io/Gateway/shop/*', reason: 'r', expires: '2030-01-01' },
      ],
    },
  },
} as unknown as ServiceMesh;

async function renderFor(minor: number): Promise<Policy | undefined> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mp-policy-env-'));
  await writeFile(path.join(dir, 'main.jsonnet'), `function(input) (import ${JSON.stringify(path.join(REPO_ROOT, 'templates', 'policy.libsonnet'))})(input)\n`);
  const out = (await new JsonnetEngine({ templatesDir: dir }).render({ policy: policyInput(mesh, { now: new Date('2026-06-15T00:00:00Z') }, minor, []) })) as unknown as Policy[];
  return out[0];
}

/** Every problem of one rendered policy on Kubernetes 1.`minor`: names its environment lacks. */
function problemsOn(policy: Policy, minor: number): string[] {
  const fields: Array<[keyof typeof ROOTS, string]> = [
    ...(policy.spec.matchConditions ?? []).map((c): [keyof typeof ROOTS, string] => ['matchConditions', c.expression]),
    ...policy.spec.variables.map((v): [keyof typeof ROOTS, string] => ['variables', v.expression]),
    ...policy.spec.validations.map((v): [keyof typeof ROOTS, string] => ['validations', v.expression]),
    ...policy.spec.validations.flatMap((v): Array<[keyof typeof ROOTS, string]> => (v.messageExpression ? [['messageExpression', v.messageExpression]] : [])),
  ];
  const problems: string[] = [];
  for (const [field, expression] of fields) {
    const { functions, roots } = namesOf(expression);
    for (const f of functions) {
      const known = FUNCTIONS[f];
      if (!known) problems.push(`${field}: '${f}' is not in the table; look it up in base.go and add it`);
      else if (known.since > minor - 1) problems.push(`${field}: '${f}' needs Kubernetes 1.${known.since + 1} for a new expression (${known.from}), rendered for 1.${minor}`);
    }
    for (const r of roots) if (!ROOTS[field].includes(r)) problems.push(`${field}: variable '${r}' does not exist there`);
  }
  return problems;
}

const newestMinor = Math.max(...loadCatalog().revisions.map((r) => Number(r.kubernetes.max.split('.')[1])));

describe('the admission policy CEL fits the Kubernetes CEL environment', () => {
  it('finds names, root variables and macro-bound identifiers as the API server would', () => {
    const { functions, roots } = namesOf("has(object.spec) && object.spec.parentRefs.exists(r, r.kind in ['S']) || oldObject == null");
    assert.deepEqual([...functions].sort(), ['&&', '.', '==', 'exists', 'has', 'id', 'in', 'list', 'value', '||'].sort());
    assert.deepEqual([...roots].sort(), ['object', 'oldObject']);
  });

  it('refuses a function newer than the cluster and a variable the field lacks', () => {
    const policy: Policy = { spec: { matchConditions: [{ expression: 'variables.x' }], variables: [{ expression: "ip('10.0.0.1').family() == 4" }], validations: [{ expression: 'true', messageExpression: 'authorizer.path("/x").check("get").reason()' }] } };
    const problems = problemsOn(policy, 30);
    assert.ok(problems.some((p) => p.startsWith("matchConditions: variable 'variables'")), problems.join('\n'));
    assert.ok(problems.some((p) => p.startsWith("variables: 'ip' needs Kubernetes 1.31")), problems.join('\n'));
    assert.ok(problems.some((p) => p.startsWith("messageExpression: variable 'authorizer'")), problems.join('\n'));
    assert.deepEqual(problemsOn({ spec: { variables: [{ expression: "ip('10.0.0.1').family() == 4" }], validations: [] } }, 31).filter((p) => p.includes("'ip'")), []);
  });

  for (let minor = ADMISSION_POLICY_MIN_MINOR; minor <= Math.max(newestMinor, 36); minor++) {
    it(`Kubernetes 1.${minor}: every name of the rendered CEL exists for a new expression`, async () => {
      const policy = await renderFor(minor);
      assert.ok(policy, `the policy is rendered for 1.${minor}`);
      assert.deepEqual(problemsOn(policy, minor), []);
    });
  }
});
