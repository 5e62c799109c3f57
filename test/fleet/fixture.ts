/**
 * A generated fleet for the fleet tests and `npm run bench`: N cluster folders made from the
 * shipped examples, with revisions, canary pairs, Kubernetes versions (in the spec or in a
 * `kubernetes-version` file), both folder layouts of docs/ci/github-actions-diff.yaml, and a few
 * clusters that break on purpose. What each cluster holds is returned beside the tree, so tests
 * compare the report with what was written, never with an earlier report.
 */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { REPO_ROOT } from '../helpers/cli.js';

/** The shipped examples a cluster is copied from. */
export type ExampleName = 'single-revision' | 'canary' | 'full';

/** What one generated cluster holds. */
export interface FixtureCluster {
  /** The cluster's folder below the root (its name in the report). */
  name: string;
  /** `mesh-folder`: <name>/mesh/mesh.yaml beside <name>/kubernetes-version; `flat`: <name>/mesh.yaml. */
  layout: 'mesh-folder' | 'flat';
  example: ExampleName;
  revisions: string[];
  kubernetes: string;
  /** Where the Kubernetes version is written. */
  versionIn: 'spec' | 'file';
  /** Adds an EnvoyFilter, a kind the guardrails forbid by default (forbidden-kind, an error). */
  forbidden: boolean;
}

/**
 * Revision lines a cluster may run, each with a Kubernetes version inside the Standard-tier
 * range of every revision of the line (catalog/revisions.yaml). Why these: they cover ended,
 * ending and supported revisions on 2026-12-02 and single revisions as well as canary pairs.
 */
const LINES: ReadonlyArray<{ revisions: string[]; kubernetes: string }> = [
  { revisions: ['asm-1-30'], kubernetes: '1.33' },
  { revisions: ['asm-1-29'], kubernetes: '1.32' },
  { revisions: ['asm-1-29', 'asm-1-30'], kubernetes: '1.32' },
  { revisions: ['asm-1-28'], kubernetes: '1.31' },
  { revisions: ['asm-1-28', 'asm-1-29'], kubernetes: '1.33' },
  { revisions: ['asm-1-27'], kubernetes: '1.30' },
  { revisions: ['asm-1-30'], kubernetes: '1.36' },
];

const EXAMPLES: readonly ExampleName[] = ['single-revision', 'canary', 'full'];

/** The plan of a fleet of `count` clusters: deterministic, every LINES entry and example used. */
export function fleetPlan(count: number): FixtureCluster[] {
  return Array.from({ length: count }, (_, i) => {
    const line = LINES[i % LINES.length] as (typeof LINES)[number];
    return {
      name: `cluster-${String(i + 1).padStart(3, '0')}`,
      layout: i % 2 === 0 ? 'mesh-folder' : 'flat',
      example: EXAMPLES[i % EXAMPLES.length] as ExampleName,
      revisions: line.revisions,
      kubernetes: line.kubernetes,
      versionIn: i % 3 === 0 ? 'spec' : 'file',
      forbidden: i % 11 === 5,
    };
  });
}

const ENVOY_FILTER = 'apiVersion: networking.istio.io/v1alpha3\nkind: EnvoyFilter\nmetadata: {name: tweak, namespace: shop}\nspec: {}\n';

/** Writes the clusters below `root` (which must exist). */
export function writeFleet(root: string, clusters: readonly FixtureCluster[]): void {
  for (const c of clusters) {
    const meshDir = c.layout === 'mesh-folder' ? path.join(root, c.name, 'mesh') : path.join(root, c.name);
    mkdirSync(meshDir, { recursive: true });
    const exampleDir = path.join(REPO_ROOT, 'examples', c.example);
    cpSync(exampleDir, meshDir, { recursive: true });
    writeFileSync(path.join(meshDir, 'mesh.yaml'), meshText(readFileSync(path.join(exampleDir, 'mesh.yaml'), 'utf8'), c));
    if (c.versionIn === 'file') writeFileSync(path.join(root, c.name, 'kubernetes-version'), `${c.kubernetes}\n`);
    if (c.forbidden) writeFileSync(path.join(meshDir, 'envoy-filter.yaml'), ENVOY_FILTER);
  }
}

/** The example's mesh.yaml with the cluster's revisions, tags and Kubernetes version. */
function meshText(text: string, c: FixtureCluster): string {
  const doc = parseDocument(text);
  doc.setIn(['spec', 'istio', 'revisions'], c.revisions);
  if (doc.hasIn(['spec', 'tags'])) {
    const [low, high] = c.revisions as [string, string | undefined];
    doc.setIn(['spec', 'tags'], { 'prod-stable': low, 'prod-canary': high ?? low });
  }
  if (c.versionIn === 'spec') doc.setIn(['spec', 'cluster', 'kubernetesVersion'], c.kubernetes);
  else doc.deleteIn(['spec', 'cluster', 'kubernetesVersion']);
  return doc.toString();
}
