/** revision-skip: a canary pair more than two minors apart, or not in ascending order. */
import { intentRevisions, REVISIONS_PATH, skipWithoutRevisions } from './support/revisions.js';
import { intentViolation } from './support/violation.js';
import type { Rule, Violation } from './types.js';

/** Largest minor step of a canary upgrade: n+1, or n+2 (skipping one) since 2024-10-25 (AKS CHANGELOG). */
export const MAX_MINOR_STEP = 2;

/** The revision-skip rule. */
export const revisionSkipRule: Rule = {
  id: 'revision-skip',
  severity: 'error',
  description: 'a canary pair is written in ascending order and is at most two minors apart (n → n+1 or n+2)',
  skip: skipWithoutRevisions,
  check(ctx) {
    const revs = intentRevisions(ctx).filter((r) => Number.isFinite(r.minor));
    const out: Violation[] = [];
    for (let i = 1; i < revs.length; i++) {
      const [a, b] = [revs[i - 1]!, revs[i]!];
      const path = [...REVISIONS_PATH, b.index];
      if (b.minor <= a.minor) {
        out.push(intentViolation(this, ctx, { path, message: `${b.name} is listed after ${a.name}; revisions are written stable first, canary second`, remediation: `write [${[a.name, b.name].sort((x, y) => revisionOrder(x, y)).join(', ')}]` }));
      } else if (b.minor - a.minor > MAX_MINOR_STEP) {
        out.push(intentViolation(this, ctx, { path, message: `${a.name} → ${b.name} skips ${b.minor - a.minor - 1} minors; an upgrade may skip at most one`, remediation: `upgrade in steps: ${a.name} → asm-1-${a.minor + MAX_MINOR_STEP} first` }));
      }
    }
    return out;
  },
};

function revisionOrder(x: string, y: string): number {
  return Number(x.split('-')[2]) - Number(y.split('-')[2]);
}
