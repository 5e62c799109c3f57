/**
 * Checks on a parsed YAML document before it is turned into plain values, so the values every
 * later stage sees are the values Kubernetes tooling would apply:
 *
 * - Expansion budget: aliases (and merge keys, which are aliases) are weighed as if expanded,
 *   without expanding them, and a document whose expansion exceeds its budget is refused. The
 *   yaml library's alias count alone lets a few MB of anchors grow into hundreds of MB.
 * - Finite numbers only: `1e400`, `.inf` and `.nan` have no JSON form; Kubernetes' YAML reader
 *   (sigs.k8s.io/yaml converts YAML to JSON) cannot carry them, and re-emitting them would
 *   change the value. Refused with file:line.
 * - Well-formed Unicode in every scalar and key (a `"\ud800"` escape yields a lone surrogate).
 * - Merge keys (`<<`) are resolved (the parser runs with `merge: true`), as go-yaml does for
 *   kubectl, kustomize, Helm and Argo CD. go-yaml v2 (gopkg.in/yaml.v2 v2.4.0, decode.go
 *   `d.mapping`/`d.merge`: merges applied in key order, so a merge overwrites explicit keys
 *   written before it) and v3 (v3.0.1, decode.go `d.merge` with `mergedFields`: explicit keys
 *   always win) disagree when an explicit key precedes a `<<` that also supplies it; that case
 *   is refused, since the cluster's reading would depend on which library reads it.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, visit, type Alias, type Document, type Node } from 'yaml';
import { checkWellFormed } from '../core/read-input.js';
import { MeshplaneError } from '../core/errors.js';

/** A problem found at a source offset. */
export interface NodeProblem {
  offset: number;
  /** The error's one-line summary, after the file name. */
  summary: string;
  message: string;
  code: 'input-too-large' | 'input-number-invalid' | 'input-encoding' | 'yaml-invalid';
  fix: string;
}

/** Thrown by {@link checkDocumentNodes}; the loader turns it into a MeshplaneError with file:line. */
export class NodeCheckError extends Error {
  constructor(readonly problem: NodeProblem) {
    super(problem.message);
  }
}

/** Weight of a scalar: its text length plus one (so empty strings and nulls still count). */
function scalarWeight(value: unknown): number {
  return (typeof value === 'string' ? value.length : 8) + 1;
}

/** A merge key as the parser resolved it (with `merge: true` its value is a symbol, not the string "<<"). */
function isMergeKey(key: unknown): boolean {
  return isScalar(key) && typeof key.value === 'symbol' && key.source === '<<';
}

/**
 * Walks `doc` once, checking numbers, strings and merge keys, and returns its weight with every
 * alias counted as expanded. Stops with a {@link NodeCheckError} as soon as the weight passes
 * `budget` or a node is refused. Shared subtrees are weighed once (memoised), so the walk is
 * linear in the source even for an alias bomb.
 */
export function checkDocumentNodes(doc: Document.Parsed, budget: number, limit = `${budget} units (about bytes)`): number {
  const targets = aliasTargets(doc);
  const resolve = (v: unknown): unknown => (isAlias(v) ? targets.get(v) : v);
  const memo = new Map<Node, number>();
  const visiting = new Set<Node>();
  const weigh = (node: unknown): number => {
    if (node === null || node === undefined) return 1;
    const n = node as Node;
    const known = memo.get(n);
    if (known !== undefined) return known;
    if (visiting.has(n)) return 1;
    visiting.add(n);
    let w: number;
    if (isAlias(n)) {
      const target = targets.get(n);
      if (target !== undefined && visiting.has(target)) selfReference(n);
      w = weigh(target);
    } else if (isScalar(n)) {
      checkScalar(n.value, n.range?.[0] ?? 0);
      w = scalarWeight(n.value);
    } else if (isMap(n)) {
      w = 1;
      n.items.forEach((pair, i) => {
        if (isMergeKey(pair.key)) {
          checkMergeSource(resolve, pair.value);
          checkMergeOrder(resolve, n.items, i);
        }
        w += weigh(pair.key) + weigh(pair.value);
        if (w > budget) overBudget(n.range?.[0] ?? 0, limit);
      });
    } else if (isSeq(n)) {
      w = 1;
      for (const item of n.items) {
        w += isPair(item) ? weigh(item.key) + weigh(item.value) : weigh(item);
        if (w > budget) overBudget(n.range?.[0] ?? 0, limit);
      }
    } else w = 1;
    visiting.delete(n);
    memo.set(n, w);
    if (w > budget) overBudget(n.range?.[0] ?? 0, limit);
    return w;
  };
  return weigh(doc.contents);
}

function checkScalar(value: unknown, offset: number): void {
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new NodeCheckError({ offset, code: 'input-number-invalid', summary: 'holds a number that is not finite', message: `the number ${String(value)} is not finite (Kubernetes reads numbers as JSON, which has no infinity or NaN)`, fix: 'write a finite number, or quote the value if a string is meant' });
  }
  if (typeof value === 'string') {
    try {
      checkWellFormed(value, 'value', 'a string');
    } catch {
      throw new NodeCheckError({ offset, code: 'input-encoding', summary: 'holds a string that is not valid Unicode', message: 'the string holds a lone UTF-16 surrogate (an escape such as "\\ud800"), which cannot be encoded as UTF-8', fix: 'remove the escape or write the full surrogate pair' });
    }
  }
}

/**
 * An alias inside the node its own anchor names (`data: &x {a: *x}`): the value would never end.
 * Why refused here: Kubernetes stores objects as JSON, which has no cycles, and a rule walking
 * the value would recurse until the stack overflowed.
 */
function selfReference(alias: Alias): never {
  throw new NodeCheckError({ offset: alias.range?.[0] ?? 0, code: 'yaml-invalid', summary: 'refers to itself through an alias', message: `the alias *${alias.source} stands inside the node its anchor &${alias.source} names, so the value never ends (Kubernetes stores objects as JSON, which has no cycles)`, fix: `write the value out instead of *${alias.source}` });
}

function overBudget(offset: number, limit: string): never {
  throw new NodeCheckError({ offset, code: 'input-too-large', summary: 'expands its aliases beyond the limit', message: `aliases and merge keys here expand beyond ${limit}`, fix: 'write the repeated parts out, or use fewer nested aliases; Meshplane bounds alias expansion so a small file cannot become a huge one' });
}

/** Resolves an alias to the node it names (other values pass through). */
type Resolve = (value: unknown) => unknown;

/**
 * The node each alias names, found in one pass in document order (an alias names the latest
 * anchor of that name before it). The library's Alias.resolve searches the whole document per
 * call, which is quadratic on a file with many aliases.
 */
function aliasTargets(doc: Document.Parsed): Map<Alias, Node | undefined> {
  const anchors = new Map<string, Node>();
  const targets = new Map<Alias, Node | undefined>();
  visit(doc, (_key, node) => {
    if (isAlias(node)) targets.set(node, anchors.get(node.source));
    else if (node && typeof node === 'object' && 'anchor' in node && typeof node.anchor === 'string') anchors.set(node.anchor, node as Node);
  });
  return targets;
}

/** Keys of the maps a merge value supplies (a map, an alias to a map, or a list of them). */
function mergedKeys(resolve: Resolve, value: unknown): unknown[] {
  const target = resolve(value);
  if (isMap(target)) return target.items.map((p) => (isScalar(p.key) ? p.key.value : p.key));
  if (isSeq(target)) return target.items.flatMap((item) => (isSeq(resolve(item)) ? [] : mergedKeys(resolve, item)));
  return [];
}

/** Refuses a merge value that is not a map, an alias to a map, or a list of those (go-yaml: "map merge requires map or sequence of maps as the value"). */
function checkMergeSource(resolve: Resolve, value: unknown): void {
  const isMapLike = (v: unknown): boolean => isMap(resolve(v));
  const target = resolve(value);
  if (isMapLike(value) || (isSeq(target) && target.items.every(isMapLike))) return;
  const offset = (value as Node | null)?.range?.[0] ?? 0;
  throw new NodeCheckError({ offset, code: 'yaml-invalid', summary: 'merges something that is not a map', message: 'a merge key (<<) takes a map, an alias to a map, or a list of those', fix: 'merge a map (e.g. `<<: *defaults` where &defaults is a map), or quote "<<" if it is meant as an ordinary key' });
}

/** Refuses an explicit key written before a `<<` that also supplies it (go-yaml v2 and v3 disagree there). */
function checkMergeOrder(resolve: Resolve, items: ReadonlyArray<{ key: unknown; value: unknown }>, mergeAt: number): void {
  const supplied = new Set(mergedKeys(resolve, items[mergeAt]?.value));
  for (const pair of items.slice(0, mergeAt)) {
    const key = isScalar(pair.key) ? pair.key.value : undefined;
    if (key !== undefined && typeof key !== 'symbol' && supplied.has(key)) {
      const offset = isScalar(pair.key) ? (pair.key.range?.[0] ?? 0) : 0;
      throw new NodeCheckError({ offset, code: 'yaml-invalid', summary: 'uses a merge key that Kubernetes tools read differently', message: `the key "${String(key)}" is set here and again by the merge key (<<) after it; Kubernetes tools disagree on which value wins`, fix: 'move the explicit key after the `<<:` line (then it wins everywhere), or remove one of the two' });
    }
  }
}

/** Turns a {@link NodeCheckError} into the loader's MeshplaneError at `file:line`. */
export function nodeProblemError(problem: NodeProblem, file: string, linePos: (offset: number) => { line: number; col: number }): MeshplaneError {
  const p = linePos(problem.offset);
  return new MeshplaneError(problem.code, `${file} ${problem.summary}`, [{ where: { file, line: p.line, column: p.col }, message: problem.message }], problem.fix);
}
