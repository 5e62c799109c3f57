/**
 * Label and field selectors as the API server parses them (the subset of the grammar kubectl and
 * client libraries send): `k`, `!k`, `k=v`, `k==v`, `k!=v`, `k in (a,b)`, `k notin (a,b)`, joined
 * by commas; field selectors `path=v`, `path==v`, `path!=v`. Malformed input throws, and the fake
 * server answers 400 like the real one.
 */

/** One label requirement. */
export interface LabelRequirement {
  key: string;
  op: 'in' | 'notin' | 'exists' | 'doesnotexist';
  values: string[];
}

/** One field requirement. */
export interface FieldRequirement {
  path: string;
  op: '=' | '!=';
  value: string;
}

/** Splits at commas outside parentheses. */
function splitTop(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  if (cur.trim() !== '') parts.push(cur.trim());
  return parts;
}

const KEY = String.raw`[A-Za-z0-9./_-]+`;
const SET = new RegExp(String.raw`^(${KEY})\s+(in|notin)\s*\(([^()]*)\)$`);
const EQ = new RegExp(String.raw`^(${KEY})\s*(==|=|!=)\s*([A-Za-z0-9._-]*)$`);
const EXISTS = new RegExp(String.raw`^(!?)(${KEY})$`);

/** Parses a label selector; throws on malformed text. */
export function parseLabelSelector(text: string): LabelRequirement[] {
  return splitTop(text).map((part) => {
    const set = SET.exec(part);
    if (set) return { key: set[1] as string, op: set[2] as 'in' | 'notin', values: (set[3] as string).split(',').map((v) => v.trim()).filter((v) => v !== '') };
    const eq = EQ.exec(part);
    if (eq) return { key: eq[1] as string, op: eq[2] === '!=' ? 'notin' : 'in', values: [eq[3] as string] };
    const ex = EXISTS.exec(part);
    if (ex) return { key: ex[2] as string, op: ex[1] ? 'doesnotexist' : 'exists', values: [] };
    throw new Error(`unable to parse requirement: ${JSON.stringify(part)}`);
  });
}

/** True when the labels satisfy every requirement. */
export function matchesLabels(reqs: LabelRequirement[], labels: Record<string, string>): boolean {
  return reqs.every((r) => {
    const has = Object.hasOwn(labels, r.key);
    if (r.op === 'exists') return has;
    if (r.op === 'doesnotexist') return !has;
    if (r.op === 'in') return has && r.values.includes(labels[r.key] as string);
    return !has || !r.values.includes(labels[r.key] as string);
  });
}

/** Parses a field selector, allowing only `supported` paths (the server's per-resource list). */
export function parseFieldSelector(text: string, supported: readonly string[]): FieldRequirement[] {
  return splitTop(text).map((part) => {
    const m = /^([A-Za-z0-9.]+)\s*(==|=|!=)\s*(.*)$/.exec(part);
    if (!m) throw new Error(`invalid selector: '${part}'; can't understand '${part}'`);
    const path = m[1] as string;
    if (!supported.includes(path)) throw new Error(`field label not supported: ${path}`);
    return { path, op: m[2] === '!=' ? '!=' : '=', value: m[3] as string };
  });
}

/** True when the object's fields satisfy every requirement (a missing field reads as ""). */
export function matchesFields(reqs: FieldRequirement[], obj: unknown): boolean {
  return reqs.every((r) => {
    let v: unknown = obj;
    for (const k of r.path.split('.')) v = (v as Record<string, unknown> | undefined)?.[k];
    const s = v === undefined || v === null ? '' : String(v);
    return r.op === '=' ? s === r.value : s !== r.value;
  });
}
