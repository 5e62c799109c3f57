/** Intent checks of the ingress and egress gateway settings (see intent-checks.ts). */
import { allowedServiceAnnotations, allowedServiceAnnotationsSummary, isAllowedServiceAnnotation } from '../catalog/gateway-annotations.js';
import type { ErrorDetail } from '../core/errors.js';
import type { Notice } from '../core/types.js';
import type { EgressGateway, ServiceMesh } from '../intent/types.js';
import type { IntentFindings, Locate } from './intent-check-types.js';
import { DNS1035_LABEL } from './intent-names.js';
import { DEFAULT_EGRESS_NAMESPACE, INTERNAL_LB_ANNOTATION } from './resolve-gateways.js';
import { editDistance, suggest } from './suggest.js';

/** The add-on's limit on egress gateways per cluster (docs/design.md, "Egress gateways"). */
export const MAX_EGRESS_GATEWAYS = 500;

const MODES = ['external', 'internal'] as const;

/** Edits within which a disallowed annotation is taken for a typo of an allowed one. */
const MAX_ANNOTATION_TYPO = 3;

/** Service annotations outside the add-on's allowlist are errors, at the annotation's line. */
export function checkServiceAnnotations(intent: ServiceMesh, at: Locate): IntentFindings {
  const errors: ErrorDetail[] = [];
  for (const mode of MODES) {
    for (const key of Object.keys(intent.spec.gateways?.[mode]?.serviceAnnotations ?? {}).sort()) {
      if (isAllowedServiceAnnotation(key)) continue;
      // Annotation keys share long prefixes, so only a near-identical key is a likely typo.
      const guess = suggest(key, allowedServiceAnnotations());
      const close = guess !== undefined && editDistance(key, guess) <= MAX_ANNOTATION_TYPO;
      const why = key === INTERNAL_LB_ANNOTATION ? ' (the Internal gateway sets it itself; enable {mode: Internal} instead)' : close ? ` (did you mean "${guess}"?)` : '';
      errors.push({
        where: at(['spec', 'gateways', mode, 'serviceAnnotations', key]),
        path: `spec.gateways.${mode}.serviceAnnotations["${key}"]`,
        message: `annotation "${key}" is not one the add-on lets users set on the aks-istio-ingressgateway-${mode} Service${why}`,
        hint: `allowed annotations (catalog/gateway-service-annotations.yaml): ${allowedServiceAnnotationsSummary()}`,
      });
    }
  }
  return { errors, warnings: [] };
}

/** Overrides for an ingress mode that is not enabled have no effect: a warning. */
export function checkIngressOverrides(intent: ServiceMesh, at: Locate): IntentFindings {
  const entries = intent.spec.istio?.components?.ingressGateways ?? [];
  const warnings: Notice[] = [];
  for (const mode of MODES) {
    if (intent.spec.gateways?.[mode] === undefined) continue;
    if (entries.some((e) => e.mode.toLowerCase() === mode && e.enabled)) continue;
    const Mode = mode === 'external' ? 'External' : 'Internal';
    warnings.push({ level: 'warning', where: at(['spec', 'gateways', mode]), message: `spec.gateways.${mode} has no effect: no ${Mode} ingress gateway is enabled (add {mode: ${Mode}, enabled: true} to spec.istio.components.ingressGateways)` });
  }
  return { errors: [], warnings };
}

const EGRESS_PATH = ['spec', 'istio', 'components', 'egressGateways'];

function egressCount(list: EgressGateway[], at: Locate): ErrorDetail[] {
  const enabled = list.filter((g) => g.enabled).length;
  if (enabled <= MAX_EGRESS_GATEWAYS) return [];
  return [{ where: at(EGRESS_PATH), path: EGRESS_PATH.join('.'), message: `${enabled} egress gateways are enabled; the add-on allows at most ${MAX_EGRESS_GATEWAYS} per cluster`, hint: 'disable or remove egress gateways, or share one gateway between workloads' }];
}

function egressDuplicates(list: EgressGateway[], at: Locate): ErrorDetail[] {
  const firstIndex = new Map<string, number>();
  const errors: ErrorDetail[] = [];
  list.forEach((g, i) => {
    const ns = g.namespace ?? DEFAULT_EGRESS_NAMESPACE;
    const first = firstIndex.get(`${ns}/${g.name}`);
    if (first === undefined) return void firstIndex.set(`${ns}/${g.name}`, i);
    const line = at([...EGRESS_PATH, first, 'name']).line;
    errors.push({ where: at([...EGRESS_PATH, i, 'name']), path: `${EGRESS_PATH.join('.')}[${i}].name`, message: `egress gateway "${g.name}" in namespace ${ns} is already declared at line ${line} (entry ${first})`, hint: 'egress gateway names must be unique per namespace: rename one or put it in another namespace' });
  });
  return errors;
}

function egressServiceNames(list: EgressGateway[], at: Locate): ErrorDetail[] {
  return list.flatMap((g, i) =>
    // The egress gateway name names its ClusterIP Service, so it must be a DNS-1035 label.
    DNS1035_LABEL.pattern.test(g.name) ? [] : [{ where: at([...EGRESS_PATH, i, 'name']), path: `${EGRESS_PATH.join('.')}[${i}].name`, message: `egress gateway name "${g.name}" cannot name its Service`, hint: 'use a DNS label: lower-case letters, digits and hyphens, starting with a letter (no dots)' }],
  );
}

/** The add-on's egress limits: at most 500 enabled, names unique per namespace and valid Service names. */
export function checkEgressGateways(intent: ServiceMesh, at: Locate): IntentFindings {
  const list = intent.spec.istio?.components?.egressGateways ?? [];
  return { errors: [...egressCount(list, at), ...egressDuplicates(list, at), ...egressServiceNames(list, at)], warnings: [] };
}

/**
 * Undeclared egress override keys that get a "did you mean": each guess compares the key with
 * every declared name, so without a bound a mesh.yaml of n overrides and n gateways cost n * n
 * edit distances (1,000 of each: 6.6 s; 4,000: 116 s). Why 10: a guess is for a typo or two;
 * a mesh.yaml with more undeclared overrides than that has a systematic problem, which the
 * messages and the fix (the declared names) show without a guess for each.
 */
export const MAX_EGRESS_GUESSES = 10;

/** Declared names quoted in the fix of an undeclared override; the rest are counted. Why 10: a fix is one line. */
export const MAX_LISTED_EGRESS_NAMES = 10;

/** spec.gateways.egress keys must name a declared egress gateway (a typo would silently do nothing). */
export function checkEgressOverrides(intent: ServiceMesh, at: Locate): IntentFindings {
  const names = [...new Set((intent.spec.istio?.components?.egressGateways ?? []).map((g) => g.name))];
  const declared = new Set(names);
  const listed = names.length > MAX_LISTED_EGRESS_NAMES ? `${names.slice(0, MAX_LISTED_EGRESS_NAMES).join(', ')}, … (${names.length} in all)` : names.join(', ');
  const hint = names.length ? `declared egress gateways: ${listed}` : 'declare it in spec.istio.components.egressGateways first';
  const errors: ErrorDetail[] = [];
  for (const key of Object.keys(intent.spec.gateways?.egress ?? {}).sort()) {
    if (declared.has(key)) continue;
    const guess = errors.length < MAX_EGRESS_GUESSES ? suggest(key, names) : undefined;
    errors.push({
      where: at(['spec', 'gateways', 'egress', key]),
      path: `spec.gateways.egress.${key}`,
      message: `no egress gateway named "${key}" is declared${guess ? ` (did you mean "${guess}"?)` : ''}`,
      hint,
    });
  }
  return { errors, warnings: [] };
}
