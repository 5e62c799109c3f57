/**
 * Intent checks of spec.upgrade.waves that JSON Schema cannot express: each wave's tag is a
 * revision tag of spec.tags (the wave moves by moving that tag), no two waves share a tag, and
 * no namespace is listed by name in two waves, and the waves list at most {@link MAX_WAVE_NAMESPACES} namespaces in all. Which Namespaces of the source belong to which
 * wave is a guardrail (src/rules/upgrade-wave-membership.ts): it needs the source objects.
 */
import type { ErrorDetail } from '../core/errors.js';
import type { ServiceMesh } from '../intent/types.js';
import type { IntentFindings, Locate } from './intent-check-types.js';

/**
 * The most namespaces all waves may list by name. Why 2000: the restart hook (templates/restart-hook.libsonnet)
 * passes them to `meshplane upgrade restart` as one comma-separated argument, and Linux refuses
 * to start a program with an argument over MAX_ARG_STRLEN, 32 pages (131,072 bytes with the
 * 4 KiB pages of AKS nodes; include/uapi/linux/binfmts.h); 2000 names of at most 63 characters
 * and their commas take at most 128,000 bytes. The schema caps each wave's list the same way.
 */
export const MAX_WAVE_NAMESPACES = 2000;

/** The checks of spec.upgrade.waves. */
export function checkUpgradeWaves(intent: ServiceMesh, at: Locate): IntentFindings {
  const waves = intent.spec.upgrade?.waves ?? [];
  const tags = intent.spec.tags ?? {};
  const errors: ErrorDetail[] = [];
  const tagOwner = new Map<string, number>();
  const nsOwner = new Map<string, number>();
  let listed = 0;
  waves.forEach((w, i) => {
    const base = ['spec', 'upgrade', 'waves', i];
    if (!(w.tag in tags)) {
      errors.push({ where: at([...base, 'tag']), path: `spec.upgrade.waves[${i}].tag`, message: `wave ${i + 1} is bound to the tag "${w.tag}", which spec.tags does not define`, hint: `add it to spec.tags (e.g. ${w.tag}: ${intent.spec.istio?.revisions[0] ?? 'asm-1-28'}); a wave moves by pointing its tag at another revision`, causes: ['spec.tags'] });
    }
    const tagSeen = tagOwner.get(w.tag);
    if (tagSeen !== undefined) errors.push({ where: at([...base, 'tag']), path: `spec.upgrade.waves[${i}].tag`, message: `waves ${tagSeen + 1} and ${i + 1} share the tag "${w.tag}", so they could only move together`, hint: 'give every wave its own tag, or merge the two waves' });
    else tagOwner.set(w.tag, i);
    (w.namespaces ?? []).forEach((ns, j) => {
      if (++listed === MAX_WAVE_NAMESPACES + 1) {
        const total = waves.reduce((n, x) => n + (x.namespaces?.length ?? 0), 0);
        errors.push({ where: at([...base, 'namespaces', j]), path: `spec.upgrade.waves[${i}].namespaces[${j}]`, message: `the waves list ${total} namespaces by name, over the limit of ${MAX_WAVE_NAMESPACES}; this is namespace ${MAX_WAVE_NAMESPACES + 1}`, hint: `pick large waves by label (spec.upgrade.waves[].namespaceSelector) instead of by name: the restart hook passes the names as one argument, which Linux limits to 128 KiB` });
      }
      const seen = nsOwner.get(ns);
      if (seen !== undefined && seen !== i) errors.push({ where: at([...base, 'namespaces', j]), path: `spec.upgrade.waves[${i}].namespaces[${j}]`, message: `namespace ${ns} is listed in waves ${seen + 1} and ${i + 1}; a namespace moves in exactly one wave`, hint: `remove it from one of the two waves` });
      else nsOwner.set(ns, i);
    });
  });
  return { errors, warnings: [] };
}
