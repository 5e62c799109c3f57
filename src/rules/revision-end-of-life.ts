/**
 * revision-end-of-life: a revision past its end of life (warning; the clock is `--now`). A
 * revision whose date is only estimated and that is still one of the two newest released ones is
 * not reported: the AKS support policy keeps two revisions supported at any time (the same rule
 * `meshplane upgrade plan` applies, catalog.ts keptByTwoNewest). Both answers need the catalog to
 * know every newer revision: past the catalog's horizon (catalog/horizon.ts) a revision whose
 * support rests on an expected date is reported too, naming the catalog's date and how to refresh it.
 */
import { keptByTwoNewest } from '../catalog/catalog.js';
import { catalogHorizon, horizonReason, REFRESH_CATALOG, supportUnvouched } from '../catalog/horizon.js';
import { endOfDay } from '../pipeline/policy.js';
import { intentRevisions, REVISIONS_PATH, skipWithoutRevisions } from './support/revisions.js';
import { intentViolation } from './support/violation.js';
import type { Rule, Violation } from './types.js';

/** The revision-end-of-life rule. */
export const revisionEndOfLifeRule: Rule = {
  id: 'revision-end-of-life',
  severity: 'warning',
  description: 'a revision past its end-of-life date (catalog/revisions.yaml) is reported, and so is one whose support the catalog can no longer vouch for; the date is compared with --now',
  skip: skipWithoutRevisions,
  check(ctx) {
    const out: Violation[] = [];
    const day = ctx.now.toISOString().slice(0, 10);
    const horizon = catalogHorizon(ctx.catalog);
    for (const r of intentRevisions(ctx)) {
      const end = r.entry ? endOfDay(r.entry.endOfLife) : undefined;
      if (!r.entry || !end) continue;
      const path = [...REVISIONS_PATH, r.index];
      const passed = ctx.now.getTime() >= end.getTime();
      if (passed && !keptByTwoNewest(ctx.catalog, r.entry, day)) {
        const estimated = r.entry.endOfLifeEstimated ? ' (an expected date)' : '';
        out.push(
          intentViolation(this, ctx, {
            path,
            message: `${r.name} reached its end of life on ${r.entry.endOfLife}${estimated}: it gets no patches or support`,
            remediation: 'start a canary upgrade to a supported revision (`meshplane upgrade plan` lists them)',
          }),
        );
        continue;
      }
      if (!horizon || !supportUnvouched(horizon, r.entry, day)) continue;
      const claim = passed
        ? `${r.name} counts as supported only as one of the two newest revisions the catalog knows (its expected end of life ${r.entry.endOfLife} has passed)`
        : `${r.name} counts as supported until ${r.entry.endOfLife} only by an expected date`;
      out.push(
        intentViolation(this, ctx, {
          path,
          message: `${claim}, and on ${day} that may no longer hold: ${horizonReason(horizon, r.entry)}`,
          remediation: `${REFRESH_CATALOG}; if AKS has ended ${r.name}, start a canary upgrade (\`meshplane upgrade plan\`)`,
        }),
      );
    }
    return out;
  },
};
