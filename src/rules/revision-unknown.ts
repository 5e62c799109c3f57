/** revision-unknown: a revision that the catalog (catalog/revisions.yaml) does not know. */
import { intentRevisions, REVISIONS_PATH, skipWithoutRevisions } from './support/revisions.js';
import { intentViolation } from './support/violation.js';
import type { Rule } from './types.js';

/** The revision-unknown rule. */
export const revisionUnknownRule: Rule = {
  id: 'revision-unknown',
  severity: 'error',
  description: 'every entry of spec.istio.revisions must be a revision of the catalog (catalog/revisions.yaml)',
  skip: skipWithoutRevisions,
  check(ctx) {
    const known = ctx.catalog.revisions.map((r) => r.name);
    return intentRevisions(ctx)
      .filter((r) => !r.entry)
      .map((r) =>
        intentViolation(this, ctx, {
          path: [...REVISIONS_PATH, r.index],
          message: `revision ${r.name} is not in the catalog, so nothing is rendered for it`,
          remediation: `use one of ${known.join(', ')} (\`meshplane upgrade plan\` lists the ones this cluster may move to)`,
        }),
      );
  },
};
