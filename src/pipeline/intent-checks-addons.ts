/** Intent checks of autoscaling, the plug-in CA and the CoreDNS ladder (see intent-checks.ts). */
import type { ErrorDetail } from '../core/errors.js';
import type { Notice } from '../core/types.js';
import type { Autoscaling, Ladder, ServiceMesh } from '../intent/types.js';
import type { IntentFindings, Locate } from './intent-check-types.js';
import { KEY_VAULT_ID_FORM, parseKeyVaultId } from './key-vault.js';
import { gatewayAutoscaling } from './resolve-gateways.js';

/** Every autoscaling block of the intent with its field path. */
function autoscalingBlocks(intent: ServiceMesh): Array<{ path: string[]; value: Autoscaling }> {
  const out: Array<{ path: string[]; value: Autoscaling }> = [];
  const push = (path: string[], value: Autoscaling | undefined): void => {
    if (value) out.push({ path, value });
  };
  push(['spec', 'controlPlane', 'autoscaling'], intent.spec.controlPlane?.autoscaling);
  push(['spec', 'gateways', 'external', 'autoscaling'], intent.spec.gateways?.external?.autoscaling);
  push(['spec', 'gateways', 'internal', 'autoscaling'], intent.spec.gateways?.internal?.autoscaling);
  for (const name of Object.keys(intent.spec.gateways?.egress ?? {}).sort()) push(['spec', 'gateways', 'egress', name, 'autoscaling'], intent.spec.gateways?.egress?.[name]?.autoscaling);
  return out;
}

/**
 * maxReplicas below minReplicas (after defaults: 2 and 5 for istiod and every gateway) makes an
 * HPA the API server rejects. (minReplicas below 2 is the autoscaling-min-below-two rule.)
 */
export function checkAutoscaling(intent: ServiceMesh, at: Locate): IntentFindings {
  const errors: ErrorDetail[] = [];
  for (const { path, value } of autoscalingBlocks(intent)) {
    const { minReplicas, maxReplicas } = gatewayAutoscaling(value);
    if (maxReplicas >= minReplicas) continue;
    const field = value.maxReplicas !== undefined ? 'maxReplicas' : 'minReplicas';
    errors.push({ where: at([...path, field]), path: `${path.join('.')}`, message: `maxReplicas ${maxReplicas} is below minReplicas ${minReplicas}`, hint: 'set maxReplicas >= minReplicas (unset values default to min 2, max 5)' });
  }
  return { errors, warnings: [] };
}

/** A plug-in CA needs a valid Key Vault id and spec.keyVaultAccess; access without a plug-in CA does nothing. */
export function checkPluginCa(intent: ServiceMesh, at: Locate): IntentFindings {
  const plugin = intent.spec.istio?.certificateAuthority?.plugin;
  const errors: ErrorDetail[] = [];
  const warnings: Notice[] = [];
  const base = ['spec', 'istio', 'certificateAuthority', 'plugin'];
  if (plugin && intent.spec.mode === 'Istio') {
    const parsed = parseKeyVaultId(plugin.keyVaultId);
    if (!parsed.ok) errors.push({ where: at([...base, 'keyVaultId']), path: `${base.join('.')}.keyVaultId`, message: `"${plugin.keyVaultId}" is not a valid Key Vault resource id: ${parsed.reason}`, hint: `use the vault's ARM id, ${KEY_VAULT_ID_FORM} (az keyvault show --name <vault> --query id)` });
    if (!intent.spec.keyVaultAccess) errors.push({ where: at(base), path: base.join('.'), message: 'a plug-in CA needs spec.keyVaultAccess: the Key Vault tenant and the client id of the identity the Secrets Store CSI driver uses', hint: 'add spec.keyVaultAccess: {tenantId: <az account show --query tenantId>, identityClientId: <az aks show --query addonProfiles.azureKeyvaultSecretsProvider.identity.clientId>}' });
  }
  if (!plugin && intent.spec.keyVaultAccess) warnings.push({ level: 'warning', where: at(['spec', 'keyVaultAccess']), message: 'spec.keyVaultAccess has no effect without spec.istio.certificateAuthority.plugin' });
  return { errors, warnings };
}

/** The first index where a ladder's thresholds stop ascending or its replicas decrease, or -1. */
export function ladderProblem(ladder: Ladder): number {
  for (let i = 1; i < ladder.length; i++) {
    const [prevT, prevR] = ladder[i - 1] as [number, number];
    const [t, r] = ladder[i] as [number, number];
    if (t <= prevT || r < prevR) return i;
  }
  return -1;
}

/** CoreDNS ladders must ascend; ladders without `enabled: true` do nothing. */
export function checkCoreDnsLadders(intent: ServiceMesh, at: Locate): IntentFindings {
  const dns = intent.spec.platform?.coreDNS;
  const errors: ErrorDetail[] = [];
  const warnings: Notice[] = [];
  for (const field of ['nodesToReplicas', 'coresToReplicas'] as const) {
    const ladder = dns?.[field];
    if (!ladder) continue;
    const path = ['spec', 'platform', 'coreDNS', field];
    const i = ladderProblem(ladder);
    if (i >= 0) errors.push({ where: at([...path, i]), path: `${path.join('.')}[${i}]`, message: `step ${JSON.stringify(ladder[i])} does not follow ${JSON.stringify(ladder[i - 1])}`, hint: 'list [threshold, replicas] steps with strictly ascending thresholds and replicas that never decrease' });
    if (dns?.enabled !== true) warnings.push({ level: 'warning', where: at(path), message: `spec.platform.coreDNS.${field} has no effect without spec.platform.coreDNS.enabled: true` });
  }
  return { errors, warnings };
}
