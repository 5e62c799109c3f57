/**
 * A check report whose every user-controlled string (file names, resource names, messages,
 * exception reasons, policy lines, rule error details, the mesh name) carries what a hostile
 * source tree can put there: control characters, a terminal escape, a forged CI annotation line,
 * `]]>`, closing tags, quotes, lone surrogates, U+FFFE, and an astral character that must survive.
 */
import type { CheckReport } from '../../src/guardrails/check.js';

/** The hostile payload appended to every string. */
export const HOSTILE = 'x\u0000\u0001\u001b[31mred\u0007\r\n::error file=a::forged\n]]></failure></testcase><testcase name="forged">\'"&amp;\udfff\ud800\ufffe🚀';

/** Characters of {@link HOSTILE} that every sink must keep (as text). */
export const MUST_SURVIVE = ['🚀', ']]>', '</testcase>', '"', "'", '&amp;', '::error'];

/** `base` with {@link HOSTILE} in every user-controlled string (a deep copy; `base` is untouched). */
export function hostileReport(base: CheckReport): CheckReport {
  const r = structuredClone(base);
  const h = (s: string): string => `${s}${HOSTILE}`;
  r.mesh = h(r.mesh);
  for (const v of [...r.violations, ...r.waived.map((w) => w.violation)]) {
    v.resource = h(v.resource);
    v.message = h(v.message);
    v.remediation = h(v.remediation);
    if (v.where) v.where.file = h(v.where.file);
  }
  for (const e of r.exceptions) {
    e.reason = h(e.reason);
    e.resource = h(e.resource);
    if (e.where) e.where.file = h(e.where.file);
  }
  for (const p of r.policy) p.message = h(p.message);
  for (const rule of r.rules) if (rule.detail !== undefined) rule.detail = h(rule.detail);
  return r;
}
