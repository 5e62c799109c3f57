/**
 * image-registry-not-allowed: with spec.images.allowedRegistries set, every container image of
 * the source's workloads and every image of the mesh itself comes from one of those registries.
 */
import { meshImages } from '../images/list.js';
import { podImages } from '../images/pod-images.js';
import { allowedBy, fullRepository } from '../images/reference.js';
import { isSource } from './support/objects.js';
import { intentViolation, objectViolation } from './support/violation.js';
import type { Rule, RuleContext, Violation } from './types.js';

function allowlist(ctx: RuleContext): string[] | undefined {
  return ctx.render.intent.spec.images?.allowedRegistries;
}

function sourceFindings(rule: Rule, ctx: RuleContext, allowed: string[]): Violation[] {
  const out: Violation[] = [];
  for (const o of ctx.objects.filter(isSource)) {
    for (const p of podImages(o.object)) {
      if (allowedBy(p.image, allowed)) continue;
      out.push(objectViolation(rule, ctx, o, {
        path: p.path,
        message: `${o.object.kind} ${o.object.metadata?.name ?? ''}: container ${p.container} uses ${p.image} (repository ${fullRepository(p.image)}), which is under none of spec.images.allowedRegistries (${allowed.join(', ')})`,
        remediation: `copy the image into an allowed registry and reference it there (e.g. ${allowed[0]}/${fullRepository(p.image).split('/').pop() ?? ''}), or add its registry to spec.images.allowedRegistries`,
      }));
    }
  }
  return out;
}

function meshFindings(rule: Rule, ctx: RuleContext, allowed: string[]): Violation[] {
  const registry = ctx.render.intent.spec.images?.registry;
  return meshImages(ctx.render).filter((m) => !allowedBy(m.image, allowed)).map((m) => intentViolation(rule, ctx, {
    path: registry === undefined ? ['spec', 'images'] : ['spec', 'images', 'registry'],
    message: `the mesh image ${m.image} (${m.purpose}) is under none of spec.images.allowedRegistries (${allowed.join(', ')})`,
    remediation: registry === undefined
      ? `mirror the mesh images (meshplane images lists them) and set spec.images.registry to the mirror, e.g. ${allowed[0]}`
      : `set spec.images.registry to a path under an allowed registry, or add ${registry} to spec.images.allowedRegistries`,
  }));
}

/** The image-registry-not-allowed rule. */
export const imageRegistryNotAllowedRule: Rule = {
  id: 'image-registry-not-allowed',
  severity: 'error',
  description: 'with spec.images.allowedRegistries set, every container image in the source (pods, workloads, init and ephemeral containers) and every mesh image comes from an allowed registry',
  skip(ctx) {
    return allowlist(ctx) === undefined ? 'spec.images.allowedRegistries is not set' : undefined;
  },
  check(ctx) {
    const allowed = allowlist(ctx);
    if (allowed === undefined) return [];
    return [...sourceFindings(this, ctx, allowed), ...meshFindings(this, ctx, allowed)];
  },
};
