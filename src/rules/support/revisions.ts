/** The revisions written in the intent, with their index (for positions) and catalog entries. */
import { findRevision, revisionMinor, type RevisionEntry } from '../../catalog/catalog.js';
import type { RuleContext } from '../types.js';

/** One entry of spec.istio.revisions. */
export interface IntentRevision {
  name: string;
  index: number;
  minor: number;
  entry: RevisionEntry | undefined;
}

/** spec.istio.revisions as written (empty when the mesh is Disabled or has no istio block). */
export function intentRevisions(ctx: RuleContext): IntentRevision[] {
  const names = ctx.render.intent.spec.mode === 'Istio' ? (ctx.render.intent.spec.istio?.revisions ?? []) : [];
  return names.map((name, index) => ({ name, index, minor: revisionMinor(name), entry: findRevision(ctx.catalog, name) }));
}

/** Skip reason for the revision rules when the mesh installs nothing. */
export function skipWithoutRevisions(ctx: RuleContext): string | undefined {
  return intentRevisions(ctx).length === 0 ? 'spec.mode is Disabled: no revision is installed' : undefined;
}

/** The revisions path of the intent. */
export const REVISIONS_PATH = ['spec', 'istio', 'revisions'] as const;
