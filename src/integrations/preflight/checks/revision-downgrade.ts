/**
 * preflight-revision-downgrade: a managed istiod of this mesh runs a revision newer than every
 * revision the intent lists. Applying the intent would replace the control plane with an older
 * one in place; Istio (and the add-on) only support moving back through a canary.
 */
import { revisionMinor } from '../../../catalog/catalog.js';
import { intentRevisions, intentWhere, keyOf, managedIstiods, violation, type PreflightRule } from './context.js';

/** The preflight-revision-downgrade rule. */
export const revisionDowngradeRule: PreflightRule = {
  id: 'preflight-revision-downgrade',
  severity: 'error',
  description: 'the intent keeps a revision at least as new as every istiod revision this mesh runs (no downgrade)',
  check(ctx) {
    const wanted = intentRevisions(ctx).filter((r) => Number.isFinite(r.minor));
    if (wanted.length === 0) return [];
    const newestWanted = Math.max(...wanted.map((r) => r.minor));
    const names = wanted.map((r) => r.name).join(', ');
    return managedIstiods(ctx)
      .filter((m) => revisionMinor(m.revision) > newestWanted)
      .map(({ deployment, revision }) =>
        violation(this, keyOf(deployment), `the cluster runs ${revision} (istiod ${deployment.namespace ?? ''}/${deployment.name}) but the intent lists only older revisions (${names}): that is a downgrade`, `roll back through a canary: list both revisions (e.g. [${wanted[0]?.name ?? 'asm-1-NN'}, ${revision}]), move namespaces back with their istio.io/rev labels, then drop ${revision}`, { where: intentWhere(ctx, ['spec', 'istio', 'revisions']) }));
  },
};
