/**
 * TypeScript shapes of the mesh intent. schemas/servicemesh.v1alpha1.schema.json is the source
 * of truth; these types mirror it for the code that reads a validated intent.
 */

/** Autoscaling settings of istiod or a gateway. */
export interface Autoscaling {
  minReplicas?: number;
  maxReplicas?: number;
  targetCPUUtilizationPercentage?: number;
}

/** serviceMeshProfile.istio.components.ingressGateways[]. */
export interface IngressGateway {
  mode: 'External' | 'Internal';
  enabled: boolean;
}

/** serviceMeshProfile.istio.components.egressGateways[]. */
export interface EgressGateway {
  name: string;
  enabled: boolean;
  namespace?: string;
  gatewayConfigurationName?: string;
}

/** serviceMeshProfile.istio.certificateAuthority.plugin. */
export interface PluginCa {
  keyVaultId: string;
  certObjectName: string;
  keyObjectName: string;
  rootCertObjectName: string;
  certChainObjectName: string;
}

/** How the Secrets Store CSI driver reaches the plug-in CA's Key Vault (spec.keyVaultAccess). */
export interface KeyVaultAccess {
  tenantId: string;
  identityClientId: string;
  cloudName?: 'AzurePublicCloud' | 'AzureChinaCloud' | 'AzureUSGovernmentCloud';
}

/** A cluster-proportional-autoscaler ladder: [threshold, replicas] pairs, thresholds ascending. */
export type Ladder = Array<[number, number]>;

/** Overrides for a managed ingress gateway. */
export interface IngressOverrides {
  serviceAnnotations?: Record<string, string>;
  externalTrafficPolicy?: 'Cluster' | 'Local';
  autoscaling?: Autoscaling;
}

/** An exception that waives one rule for one resource until a date. */
export interface PolicyException {
  rule: string;
  resource: string;
  reason: string;
  expires: string;
}

/** One wave of spec.upgrade.waves: namespaces (by name and/or label) bound to a revision tag. */
export interface UpgradeWave {
  tag: string;
  namespaces?: string[];
  namespaceSelector?: { matchLabels: Record<string, string> };
}

/** spec.images: where every image of the mesh is pulled from (docs/images.md). */
export interface ImagesSpec {
  /**
   * Registry path that replaces the default ones (`mcr.microsoft.com/oss/istio` for Istio,
   * `ghcr.io/meshplane` for the preflight hook): `<registry>/<image name>:<tag>`.
   */
  registry?: string;
  /** Names of Secrets (type kubernetes.io/dockerconfigjson) put on every pod Meshplane renders or istiod injects. */
  imagePullSecrets?: string[];
  /** Registry prefixes (`host[:port][/path]`) that workload images in the source must come from (rule image-registry-not-allowed). */
  allowedRegistries?: string[];
}

/** spec of a ServiceMesh. */
export interface ServiceMeshSpec {
  mode: 'Istio' | 'Disabled';
  /** What a Disabled mesh means; see src/pipeline/intent-checks-mode.ts. */
  disabled?: { acknowledgePrune?: boolean };
  istio?: {
    revisions: string[];
    components?: {
      ingressGateways?: IngressGateway[];
      egressGateways?: EgressGateway[];
      proxyRedirectionMechanism?: 'CNIChaining' | 'InitContainers';
    };
    certificateAuthority?: { plugin?: PluginCa };
  };
  cluster?: { kubernetesVersion?: string; tier?: 'Standard' | 'LTS' };
  tags?: Record<string, string>;
  upgrade?: { waves?: UpgradeWave[]; restartHook?: { enabled?: boolean; image?: string } };
  controlPlane?: { autoscaling?: Autoscaling };
  meshConfig?: Record<string, unknown>;
  gateways?: {
    external?: IngressOverrides;
    internal?: IngressOverrides;
    egress?: Record<string, { autoscaling?: Autoscaling }>;
  };
  keyVaultAccess?: KeyVaultAccess;
  monitoring?: {
    prometheus?: 'azure-managed' | 'prometheus-operator' | 'annotations' | 'none';
    grafana?: 'grafana-operator' | 'none';
    grafanaInstanceSelector?: Record<string, string>;
    prometheusLabels?: Record<string, string>;
  };
  security?: { mtls?: 'STRICT' | 'PERMISSIVE'; defaultDeny?: boolean };
  platform?: { coreDNS?: { enabled?: boolean; nodesToReplicas?: Ladder; coresToReplicas?: Ladder } };
  images?: ImagesSpec;
  policy?: { forbiddenKinds?: string[]; exceptions?: PolicyException[]; preflightHook?: boolean; preflightImage?: string };
}

/** The mesh intent document. */
export interface ServiceMesh {
  apiVersion: 'meshplane.io/v1alpha1';
  kind: 'ServiceMesh';
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: ServiceMeshSpec;
}
