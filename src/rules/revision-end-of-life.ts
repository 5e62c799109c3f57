/**
 * revision-end-of-life: a revision past its end of life (warning; the clock is `--now`). A
 * revision whose date is only estimated and that is still one of the two newest released ones is
 * not reported: the AKS support policy keeps two revisions supported at any time (the same rule
 * `meshplane upgrade plan` applies, catalog.ts keptByTwoNewest).
 */
import { keptByTwoNewest } from '../catalog/catalog.js';
import { endOfDay } from '../pipeline/policy.js';
import { intentRevisions, REVISIONS_PATH, skipWithoutRevisions } from './support/revisions.js';
import { intentViolation } from './support/violation.js';
import type { Rule, Violation } from './types.js';

/** The revision-end-of-life rule. */
export const revisionEndOfLifeRule: Rule = {
  id: 'revision-end-of-life',
  severity: 'warning',
  description: 'a revision past its end-of-life date (catalog/revisions.yaml) is reported; the date is compared with --now',
  skip: skipWithoutRevisions,
  check(ctx) {
    const out: Violation[] = [];
    const day = ctx.now.toISOString().slice(0, 10);
    for (const r of intentRevisions(ctx)) {
      const end = r.entry ? endOfDay(r.entry.endOfLife) : undefined;
      if (!r.entry || !end || ctx.now.getTime() < end.getTime()) continue;
      if (keptByTwoNewest(ctx.catalog, r.entry, day)) continue;
      const estimated = r.entry.endOfLifeEstimated ? ' (an expected date)' : '';
      out.push(
        intentViolation(this, ctx, {
          path: [...REVISIONS_PATH, r.index],
          message: `${r.name} reached its end of life on ${r.entry.endOfLife}${estimated}: it gets no patches or support`,
          remediation: 'start a canary upgrade to a supported revision (`meshplane upgrade plan` lists them)',
        }),
      );
    }
    return out;
  },
};
