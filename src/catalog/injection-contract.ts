/**
 * The injection contract (catalog/injection-contract.yaml): per Istio minor, the data fields and
 * functions istiod gives its injection templates, and the template behaviour that minor's own
 * injection template has. The render reads only `features`; the Go harness in test/injection
 * reads the whole file.
 */
import { readDataFile } from './data-file.js';

/** How a minor's sidecar template learns that the proxy runs as a native sidecar. */
export type NativeSidecarSource = 'env' | 'envOrPod' | 'data';

/** Template behaviour of one Istio minor (see the file's header for each switch). */
export interface InjectionFeatures {
  nativeSidecarSource: NativeSidecarSource;
  nativeSidecarDrain: boolean;
  caCrlVolume: boolean;
  imageVariant: boolean;
  inboundTrafficPolicy: boolean;
  jwtPolicyEnv: boolean;
  gatewayNameLabelField: boolean;
  kubeGatewayScaling: boolean;
}

/** One minor's entry: upstream tag, Go field name → Go type name, function names, features. */
export interface ContractMinor {
  minor: number;
  tag: string;
  sprig: string;
  sidecarData: Record<string, string>;
  funcs: string[];
  kubeGatewayData: Record<string, string>;
  features: InjectionFeatures;
}

/** The whole contract file. */
export interface InjectionContract {
  minors: ContractMinor[];
  sprig: string[];
  /** Values key path → eras [fromMinor, toMinor, proto type or "absent"] of istiod's Values type. */
  values: Record<string, Array<[number, number, string]>>;
}

let cached: InjectionContract | undefined;

/** Loads (once) catalog/injection-contract.yaml. */
export function loadInjectionContract(): InjectionContract {
  cached ??= readDataFile<InjectionContract>('injection-contract.yaml');
  return cached;
}

/** The contract entry of an Istio minor; throws when the catalog serves a minor the contract lacks. */
export function contractFor(contract: InjectionContract, minor: number): ContractMinor {
  const entry = contract.minors.find((m) => m.minor === minor);
  if (!entry) {
    throw new Error(`catalog/injection-contract.yaml has no entry for Istio 1.${minor}; add one (read pkg/kube/inject/inject.go and template.go at the patch tag catalog/revisions.yaml renders for 1.${minor})`);
  }
  return entry;
}
