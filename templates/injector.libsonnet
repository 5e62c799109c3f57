// ConfigMap istio-sidecar-injector-<rev> (docs/design.md, "Facts about a revisioned Istio install"): `config` holds the injection
// policy and the sidecar and gateway templates (Go text/template, written in this project under
// templates/injection/), `values` the settings those templates read as .Values.
local k = import 'lib/k.libsonnet';

local proxyResources = {
  // Sidecar defaults users report on the add-on (docs/design.md, "Autoscaling and disruption budgets").
  requests: { cpu: '100m', memory: '128Mi' },
  limits: { cpu: '2000m', memory: '1024Mi' },
};

local values(input, rev) = {
  revision: rev.name,
  global: {
    hub: rev.images.hub,
    tag: rev.images.tag,
    istioNamespace: input.namespaces.system,
    imagePullPolicy: 'IfNotPresent',
    imagePullSecrets: [],
    logAsJson: false,
    meshID: '',
    network: '',
    multiCluster: { clusterName: '' },
    pilotCertProvider: 'istiod',
    caAddress: '',
    sds: { token: { aud: 'istio-ca' } },
    proxy: {
      image: rev.images.proxy,
      clusterDomain: 'cluster.local',
      logLevel: 'warning',
      componentLogLevel: 'misc:error',
      privileged: false,
      statusPort: 15020,
      readinessFailureThreshold: 4,
      readinessInitialDelaySeconds: 0,
      readinessPeriodSeconds: 15,
      startupProbe: { enabled: true, failureThreshold: 600 },
      holdApplicationUntilProxyStarts: false,
      includeIPRanges: '*',
      excludeIPRanges: '',
      includeInboundPorts: '*',
      excludeInboundPorts: '',
      includeOutboundPorts: '',
      excludeOutboundPorts: '',
      resources: proxyResources,
    },
    proxy_init: { image: rev.images.proxy, resources: { requests: { cpu: '10m', memory: '10Mi' }, limits: { cpu: '2000m', memory: '1024Mi' } } },
  },
  istio_cni: { enabled: rev.cni, chained: true, provider: 'default' },
  pilot: { cni: { enabled: rev.cni, provider: 'default' } },
  sidecarInjectorWebhook: { rewriteAppHTTPProbe: true, defaultTemplates: [], templates: {}, injectedAnnotations: {}, neverInjectSelector: [], alwaysInjectSelector: [] },
  gateways: { securityContext: {}, seccompProfile: {} },
};

local config = {
  policy: 'enabled',
  alwaysInjectSelector: [],
  neverInjectSelector: [],
  injectedAnnotations: {},
  defaultTemplates: ['sidecar'],
  templates: {
    sidecar: importstr 'injection/sidecar.tmpl',
    gateway: importstr 'injection/gateway.tmpl',
  },
};

{
  configMap(input, rev)::
    k.obj('v1', 'ConfigMap', 'istio-sidecar-injector-' + rev.name, input.namespaces.system, labels=k.revLabels(rev, { app: 'sidecar-injector' })) {
      data: {
        config: k.yaml(config),
        values: k.json(values(input, rev)),
      },
    },
}
