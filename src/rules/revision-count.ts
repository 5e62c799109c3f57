/** revision-count: more than two revisions (the add-on allows one, or two during a canary upgrade). */
import { intentRevisions, REVISIONS_PATH, skipWithoutRevisions } from './support/revisions.js';
import { intentViolation } from './support/violation.js';
import type { Rule } from './types.js';

/** At most this many revisions at once (the add-on refuses a third: "exceeds maximum allowed number of revisions"). */
export const MAX_REVISIONS = 2;

/** The revision-count rule. */
export const revisionCountRule: Rule = {
  id: 'revision-count',
  severity: 'error',
  description: 'spec.istio.revisions holds one revision, or two during a canary upgrade; never more',
  skip: skipWithoutRevisions,
  check(ctx) {
    const revs = intentRevisions(ctx);
    if (revs.length <= MAX_REVISIONS) return [];
    return [
      intentViolation(this, ctx, {
        path: [...REVISIONS_PATH, MAX_REVISIONS],
        message: `${revs.length} revisions (${revs.map((r) => r.name).join(', ')}); the add-on runs at most ${MAX_REVISIONS} side by side`,
        remediation: 'complete or roll back the running canary upgrade first (`meshplane upgrade complete` / `upgrade rollback`), then start the next one',
      }),
    ];
  },
};
