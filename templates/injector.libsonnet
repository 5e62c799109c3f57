// ConfigMap istio-sidecar-injector-<rev>: `config` holds the injection policy and the injection
// templates (Go text/template, written in this project under templates/injection/), `values` the
// settings those templates read as .Values. docs/injection.md explains the contract with istiod.
local k = import 'lib/k.libsonnet';

local proxyResources = {
  // Sidecar defaults users report on the add-on (the same quantities as Istio's chart defaults).
  requests: { cpu: '100m', memory: '128Mi' },
  limits: { cpu: '2000m', memory: '1024Mi' },
};

// istiod composes every proxy image as hub + "/" + image + ":" + tag (pkg/kube/inject/inject.go
// ProxyImage/imageURL), and the templates use an image as given only when it holds a "/". So the
// values carry the registry path in `hub`, the bare image name in `image`, and the tag in `tag`.
local proxyImageName = 'proxyv2';

// Every key the templates read is present (the harness runs them with missingkey=error), so an
// optional setting is an empty value here, never an absent key.
local values(input, rev) = {
  revision: rev.name,
  global: {
    hub: rev.images.hub,
    tag: rev.images.tag,
    variant: '',
    istioNamespace: input.namespaces.system,
  } + (if rev.injection.jwtPolicyEnv then {
    // Read by the proxy of 1.20/1.21 (JWT_POLICY); the projected istio-token is a third-party JWT.
    jwtPolicy: 'third-party-jwt',
  } else {}) + {
    imagePullPolicy: 'IfNotPresent',
    // Secret names (upstream's injection templates write each as `- name: <secret>`).
    imagePullSecrets: rev.images.pullSecrets,
    logAsJson: false,
    logging: { level: 'default:info' },
    meshID: '',
    trustDomain: '',
    network: '',
    multiCluster: { clusterName: '' },
    pilotCertProvider: 'istiod',
    caAddress: '',
    trustBundleName: '',
    sds: { token: { aud: 'istio-ca' } },
    proxy: {
      image: proxyImageName,
      clusterDomain: 'cluster.local',
      logLevel: 'warning',
      componentLogLevel: 'misc:error',
      privileged: false,
      capNetBindService: false,
      statusPort: 15020,
      readinessFailureThreshold: 4,
      readinessInitialDelaySeconds: 0,
      readinessPeriodSeconds: 15,
      startupProbe: { enabled: true, failureThreshold: 600 },
      holdApplicationUntilProxyStarts: false,
      lifecycle: {},
      includeIPRanges: '*',
      excludeIPRanges: '',
      includeInboundPorts: '*',
      excludeInboundPorts: '',
      includeOutboundPorts: '',
      excludeOutboundPorts: '',
      resources: proxyResources,
    },
    proxy_init: { image: proxyImageName },
  },
  pilot: { cni: { enabled: rev.cni, provider: 'default' }, crlConfigMapName: '' },
  sidecarInjectorWebhook: { rewriteAppHTTPProbe: true, defaultTemplates: [], templates: {}, injectedAnnotations: {}, neverInjectSelector: [], alwaysInjectSelector: [] },
  gateways: { securityContext: {}, seccompProfile: {} },
};

// How this minor's istiod tells the template that the proxy is a native sidecar
// (catalog/injection-contract.yaml `features.nativeSidecarSource`): the data field exists
// only from 1.27; before, the pod annotation (1.24+) and istiod's environment decide.
local nativeSidecarExpr = {
  env: '(eq (env "ENABLE_NATIVE_SIDECARS" "false") "true")',
  envOrPod: '(or (and (not (isset .ObjectMeta.Annotations "sidecar.istio.io/nativeSidecar")) (eq (env "ENABLE_NATIVE_SIDECARS" "false") "true")) (eq (index .ObjectMeta.Annotations "sidecar.istio.io/nativeSidecar") "true"))',
  data: '(ne (index .ObjectMeta.Annotations "sidecar.istio.io/nativeSidecar" | default (printf "%t" .NativeSidecars)) "false")',
};

local bool(b) = if b then 'true' else 'false';

// The per-minor bindings sidecar.tmpl starts from (its header explains them). Plain `+`, not
// `%`: libjsonnet's std.format parses its format string in jsonnet, a few ms per call.
local sidecarPrelude(f) =
  '{{- /* Bindings for Istio minor features, from catalog/injection-contract.yaml. */}}\n'
  + '{{- $nativeSidecar := ' + nativeSidecarExpr[f.nativeSidecarSource] + ' }}\n'
  + '{{- $nativeSidecarDrain := ' + bool(f.nativeSidecarDrain) + ' }}\n'
  + '{{- $caCrlVolume := ' + bool(f.caCrlVolume) + ' }}\n'
  + '{{- $jwtPolicyEnv := ' + bool(f.jwtPolicyEnv) + ' }}\n'
  // Before 1.22 istiod had no InboundTrafficPolicyMode; its template read the same switch from
  // istiod's environment (PILOT_ENABLE_INBOUND_PASSTHROUGH=false meant localhost).
  + '{{- $inboundTrafficPolicyMode := '
  + (if f.inboundTrafficPolicy then '.InboundTrafficPolicyMode'
     else '(ternary "localhost" "" (eq (env "PILOT_ENABLE_INBOUND_PASSTHROUGH" "true") "false"))')
  + ' }}\n';

// The per-minor bindings kube-gateway.tmpl starts from (its header explains them).
local kubeGatewayPrelude(f) =
  '{{- /* Bindings for Istio minor features, from catalog/injection-contract.yaml. */}}\n'
  + '{{- $gatewayNameLabel := ' + (if f.gatewayNameLabelField then '.GatewayNameLabel' else '"istio.io/gateway-name"') + ' }}\n'
  + '{{- $scalingObjects := ' + bool(f.kubeGatewayScaling) + ' }}\n';

local gatewayApiEnabled(input) = std.objectHas(input, 'gatewayApi') && input.gatewayApi.enabled;

local config(input, rev) = {
  policy: 'enabled',
  alwaysInjectSelector: [],
  neverInjectSelector: [],
  injectedAnnotations: {},
  defaultTemplates: ['sidecar'],
  templates: {
    sidecar: sidecarPrelude(rev.injection) + importstr 'injection/sidecar.tmpl',
    gateway: importstr 'injection/gateway.tmpl',
  } + (if gatewayApiEnabled(input) then { 'kube-gateway': kubeGatewayPrelude(rev.injection) + importstr 'injection/kube-gateway.tmpl' } else {}),
};

{
  configMap(input, rev)::
    k.obj('v1', 'ConfigMap', 'istio-sidecar-injector-' + rev.name, input.namespaces.system, labels=k.revLabels(rev, { app: 'sidecar-injector' })) {
      data: {
        config: k.yaml(config(input, rev)),
        values: k.json(values(input, rev)),
      },
    },
}
