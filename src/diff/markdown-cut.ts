/**
 * The compact layout of a markdown diff that does not fit in a comment. What it keeps, in order
 * of need: the summary, a notice saying exactly what was left out and where the full diff is,
 * the guardrail counts, a list naming EVERY changed resource (one line per change, type and
 * namespace) (in review order: security-relevant
 * first), then — while they fit — the guardrail findings, the moves, the per-resource diffs
 * (a prefix of the review order, so a security change is never cut while noise is shown) and the
 * hidden-noise list. If even the list of names cannot fit, the names that do not fit are counted
 * by type and change in its last row, so nothing goes uncounted.
 */
import type { ResourceDiff } from './diff-objects.js';
import { typeOfKey } from './review-order.js';

/** The pieces of the comment, already formatted by ./format-markdown.ts. */
export interface CutInput {
  limit: number;
  /** Length the whole comment would have had. */
  fullLength: number;
  header: string;
  guardrailLine: string;
  /** The findings table ('' when there are none). */
  violationTable: string;
  violations: number;
  /** Changed resources in review order. */
  resources: ResourceDiff[];
  /** The moves section ('' when there is none). */
  moves: string;
  /** One `<details>` block per resource, same order as `resources`. */
  details: string[];
  hidden: string;
  escape: (text: string) => string;
}

/** What was left out, for the notice. */
interface LeftOut {
  listed: number;
  total: number;
  diffsShown: number;
  findings: boolean;
  moves: boolean;
  hidden: boolean;
}

/** Characters kept for the last table row that counts unlisted resources by type. */
const REMAINDER_MAX = 1_500;

/**
 * Where the full diff is. Why only a rerun: the example workflow (docs/ci/github-actions-diff.yaml)
 * prints this same markdown to its job log and run summary, so what is cut here is cut there too;
 * the text and JSON outputs are never cut.
 */
const FULL_DIFF_AT = 'For the full diff, run `meshplane diff --output text` (or `--output json`) on the same two sides: those outputs are never cut.';

/** Lays the comment out within `limit` characters (see the module comment). */
export function cutToFit(c: CutInput): string {
  const total = c.resources.length;
  // The notice is written last; its longest form (every clause, numbers at most `total`) is reserved first.
  const worst = (listed: number): number => notice(c, { listed, total, diffsShown: 0, findings: false, moves: false, hidden: false }).length;
  const reserve = Math.max(worst(total), worst(0)) + 3 * String(total).length + 16;
  let budget = c.limit - c.header.length - c.guardrailLine.length - reserve;
  const table = namesTable(c, budget);
  budget -= table.text.length;
  const take = (block: string): boolean => {
    if (block === '' || block.length > budget) return false;
    budget -= block.length;
    return true;
  };
  const findings = take(c.violationTable);
  const moves = take(c.moves);
  const details: string[] = [];
  for (const d of c.details) {
    if (!take(d)) break;
    details.push(d);
  }
  const hidden = details.length === c.details.length && take(c.hidden);
  const left: LeftOut = { listed: table.listed, total, diffsShown: details.length, findings: findings || c.violationTable === '', moves: moves || c.moves === '', hidden: hidden || c.hidden === '' };
  return [c.header, notice(c, left), c.guardrailLine, findings ? c.violationTable : '', table.text, moves ? c.moves : '', ...details, hidden ? c.hidden : ''].join('');
}

/** Heading of the compact list. */
const LIST_HEAD = '#### Every changed resource\n\n';

/** One line per (change, type, namespace), in review order: names only, so long lists fit. */
interface Group {
  change: string;
  type: string;
  namespace: string;
  names: string[];
}

function groupsOf(resources: ResourceDiff[]): Group[] {
  const out: Group[] = [];
  for (const r of resources) {
    const [group = '', kind = '', namespace = '', ...name] = r.key.split('/');
    const type = `${group}/${kind}`;
    const last = out[out.length - 1];
    if (last && last.change === r.change && last.type === type && last.namespace === namespace) last.names.push(name.join('/'));
    else out.push({ change: r.change, type, namespace, names: [name.join('/')] });
  }
  return out;
}

function groupLine(c: CutInput, g: Group, names: string[], more: number): string {
  const where = g.namespace === '_cluster' ? 'cluster-scoped' : `in <code>${c.escape(g.namespace)}</code>`;
  const tail = more > 0 ? ` … and ${more} more not named here` : '';
  return `- ${g.change} <code>${c.escape(g.type)}</code> ${where} (${g.names.length}): <code>${c.escape(names.join(', '))}</code>${tail}\n`;
}

/** The list of every changed resource, or as many names as fit plus a line counting the rest by type. */
function namesTable(c: CutInput, budget: number): { text: string; listed: number } {
  if (c.resources.length === 0) return { text: 'No resource changes.\n\n', listed: 0 };
  const groups = groupsOf(c.resources);
  const all = LIST_HEAD + groups.map((g) => groupLine(c, g, g.names, 0)).join('') + '\n';
  if (all.length <= budget) return { text: all, listed: c.resources.length };
  let used = LIST_HEAD.length + 1 + REMAINDER_MAX;
  let listed = 0;
  const lines: string[] = [];
  let g = 0;
  for (; g < groups.length; g++) {
    const group = groups[g] as Group;
    let k = group.names.length;
    let line = groupLine(c, group, group.names, 0);
    // Too long as a whole: keep the longest prefix of its names that fits (binary search).
    if (used + line.length > budget) {
      let lo = 0;
      let hi = group.names.length - 1;
      while (lo < hi) {
        const mid = Math.ceil((lo + hi) / 2);
        if (used + groupLine(c, group, group.names.slice(0, mid), group.names.length - mid).length <= budget) lo = mid;
        else hi = mid - 1;
      }
      k = lo;
      line = k > 0 ? groupLine(c, group, group.names.slice(0, k), group.names.length - k) : '';
    }
    if (line !== '') lines.push(line);
    used += line.length;
    listed += k;
    if (k < group.names.length) break;
  }
  const rest = c.resources.slice(listed);
  return { text: LIST_HEAD + lines.join('') + (rest.length > 0 ? remainderRow(c, rest) : '') + '\n', listed };
}

/** `- … 280 not named here, counted by change and type: 270 added core/ConfigMap, …`, at most REMAINDER_MAX characters. */
function remainderRow(c: CutInput, rest: ResourceDiff[]): string {
  const counts = new Map<string, number>();
  for (const r of rest) {
    const id = `${r.change} ${typeOfKey(r.key)}`;
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  const groups = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const start = `- … ${rest.length} not named here for lack of space, counted by change and type: `;
  const parts: string[] = [];
  let length = start.length + 80;
  for (const [id, n] of groups) {
    const part = c.escape(`${n} ${id}`);
    if (length + part.length + 2 > REMAINDER_MAX) break;
    parts.push(part);
    length += part.length + 2;
  }
  const others = groups.slice(parts.length).reduce((sum, [, n]) => sum + n, 0);
  const tail = others > 0 ? `${parts.length > 0 ? ', and ' : ''}${others} of ${groups.length - parts.length} other types` : '';
  return `${start}${parts.join(', ')}${tail}\n`;
}

function notice(c: CutInput, left: LeftOut): string {
  const n = (x: number): string => x.toLocaleString('en-US');
  const listed = left.listed === left.total
    ? `**Every changed resource (${n(left.total)}) is listed** below, security-relevant ones (PeerAuthentication, AuthorizationPolicy, webhooks, RBAC, Secrets) first.`
    : `**${n(left.listed)} of ${n(left.total)} changed resources are named** below (security-relevant first); the last line counts the other ${n(left.total - left.listed)} by change and type.`;
  const out: string[] = [];
  if (left.diffsShown < left.total) out.push(`the diffs of ${n(left.total - left.diffsShown)} of ${n(left.total)} resources (shown: the first ${n(left.diffsShown)} in review order)`);
  if (!left.findings) out.push(`the table of ${n(c.violations)} guardrail findings (the counts above are complete; \`meshplane check\` lists them)`);
  if (!left.moves) out.push('the "Moved between revisions" section');
  if (!left.hidden) out.push('the list of hidden noise fields');
  const omitted = out.length > 0 ? ` Left out: ${out.join('; ')}.` : '';
  return `> **Cut to fit:** the whole comment would be ${n(c.fullLength)} characters, over the ${n(c.limit)}-character limit of a comment. ${listed}${omitted} ${FULL_DIFF_AT}\n\n`;
}
