// Monitoring (docs/design.md, "Monitoring"): scrape objects for the proxies and
// istiod, control-plane alerts, and Grafana dashboards, chosen by spec.monitoring.
//   prometheus: azure-managed        → PodMonitor + ServiceMonitor in azmonitoring.coreos.com/v1
//               prometheus-operator  → the same in monitoring.coreos.com/v1 + a PrometheusRule
//               annotations | none   → nothing (pods carry prometheus.io annotations anyway)
//   grafana:    grafana-operator     → GrafanaDashboard per Istio dashboard + Meshplane's own
local k = import 'lib/k.libsonnet';
local controlPlane = import 'dashboards/control-plane.libsonnet';

local component = 'monitoring';

// Why two groups: Azure managed Prometheus ships the prometheus-operator CRDs renamed to
// azmonitoring.coreos.com and ignores monitoring.coreos.com objects (and vice versa).
local apiVersions = { 'azure-managed': 'azmonitoring.coreos.com/v1', 'prometheus-operator': 'monitoring.coreos.com/v1' };

// The label limits Azure's own PodMonitor/ServiceMonitor templates set (AMPCRD).
local azureLimits = { labelLimit: 63, labelNameLengthLimit: 511, labelValueLengthLimit: 1023 };

local proxyRelabelings = [
  // One target per injected container: its Envoy metrics port, then re-pointed below.
  { action: 'keep', sourceLabels: ['__meta_kubernetes_pod_container_name', '__meta_kubernetes_pod_container_port_name'], regex: 'istio-proxy;http-envoy-prom' },
  // Injected pods carry prometheus.io/scrape (the injector adds it when metrics merging is on).
  // Kept when present, whatever its value, as Istio's own PodMonitor does
  // (samples/addons/extras/prometheus-operator.yaml, 1.30.2): a pod whose owner set it to
  // "false" turned off the scraping of its app, not of its proxy (the injector leaves such a pod's
  // annotations alone, pkg/kube/inject/webhook.go applyPrometheusMerge, 1.30.2), and is then
  // scraped at 15090 below. The way to leave a pod out is the istio-prometheus-ignore label.
  { action: 'keep', sourceLabels: ['__meta_kubernetes_pod_annotationpresent_prometheus_io_scrape'], regex: 'true' },
  // Scrape the port the injector wrote to prometheus.io/port (15020: merged agent + Envoy +
  // app metrics); without one, the Envoy port itself. Pod IPs with a colon are IPv6 and need brackets.
  { action: 'replace', sourceLabels: ['__meta_kubernetes_pod_annotation_prometheus_io_port', '__meta_kubernetes_pod_ip'], regex: '(\\d+);(.*:.*)', replacement: '[$2]:$1', targetLabel: '__address__' },
  { action: 'replace', sourceLabels: ['__meta_kubernetes_pod_annotation_prometheus_io_port', '__meta_kubernetes_pod_ip'], regex: '(\\d+);([^:]+)', replacement: '$2:$1', targetLabel: '__address__' },
];

// --- Control-plane alerts (prometheus-operator flavour): a PrometheusRule's spec.groups.
// Series come from Meshplane's istiod ServiceMonitor: job="istiod" (its jobLabel is the
// Service's `app` label) and istio_io_rev (from targetLabels), so each alert names the revision.
// Every metric queried here and in dashboards/control-plane.libsonnet is one istiod exports at
// every served minor (test/templates/monitoring-metrics.test.ts holds them against
// test/templates/fixtures/istiod-metrics-upstream.yaml, read from istio/istio's source).
// Thresholds: every error alert requires errors in every 5-minute window for a while (`for`),
// so one transient failure during a rollout does not page anyone.
local rule(name, expr, forDuration, severity, summary, description) = {
  alert: name,
  expr: expr,
  'for': forDuration,
  labels: { severity: severity },
  annotations: { summary: summary, description: description },
};

local byRev = 'sum by (istio_io_rev) ';

// istiod of one revision down: no istiod target up for 5 minutes. Critical: no config pushes,
// no certificates, and (failurePolicy Fail) no pod creation in the revision's namespaces.
local revisionDown(input, rev) = rule(
  'IstiodRevisionDown',
  'absent(up{job="istiod", namespace="' + input.namespaces.system + '", istio_io_rev="' + rev.name + '"} == 1)',
  '5m', 'critical',
  'istiod of revision ' + rev.name + ' is down',
  'No istiod-' + rev.name + ' pod has been scraped successfully for 5 minutes. Sidecars of this revision keep their last config but get no updates or new certificates, and pods in namespaces labelled istio.io/rev=' + rev.name + ' cannot be created. Check `kubectl -n ' + input.namespaces.system + ' get pods -l app=istiod,istio.io/rev=' + rev.name + '`.',
) + { labels+: { revision: rev.name } };

local common = [
  // istiod counts a push it could not send as pilot_xds_pushes{type="<cds|eds|lds|rds>_senderr"}.
  rule('IstiodXdsPushErrors', byRev + '(rate(pilot_xds_pushes{type=~"[a-z]+_senderr"}[5m])) > 0', '15m', 'warning',
       'istiod {{ $labels.istio_io_rev }} keeps failing to push config to proxies',
       'pilot_xds_pushes of the *_senderr types has grown in every 5-minute window for 15 minutes: pushes fail to reach proxies, so they run stale config. Look for overloaded istiod pods (CPU, HPA at maxReplicas), proxies that disconnect, or pilot_xds_write_timeout.'),
  rule('IstioProxiesRejectingConfig', byRev + '(rate(pilot_total_xds_rejects[5m])) > 0', '10m', 'warning',
       'proxies reject config from istiod {{ $labels.istio_io_rev }}',
       'Envoy proxies have NACKed configuration for 10 minutes (pilot_total_xds_rejects). Usually one invalid VirtualService, DestinationRule or EnvoyFilter; `istioctl proxy-status -i aks-istio-system` and the pilot_xds_*_reject gauges name the proxies and resources.'),
  rule('IstiodInternalErrors', byRev + '(rate(pilot_total_xds_internal_errors[5m])) > 0', '10m', 'warning',
       'istiod {{ $labels.istio_io_rev }} fails to build config',
       'pilot_total_xds_internal_errors has grown for 10 minutes: istiod could not generate configuration for some proxies. Check the discovery container logs.'),
  rule('IstioSidecarInjectionFailing', byRev + '(rate(sidecar_injection_failure_total[5m])) > 0', '10m', 'critical',
       'sidecar injection fails on istiod {{ $labels.istio_io_rev }}',
       'The injection webhook has returned errors for 10 minutes (sidecar_injection_failure_total). Its failurePolicy is Fail, so pods in meshed namespaces are not being created. Check istiod logs and `kubectl get events -A --field-selector reason=FailedCreate`.'),
  rule('IstioProxyConvergenceSlow', 'histogram_quantile(0.99, sum by (le, istio_io_rev) (rate(pilot_proxy_convergence_time_bucket[5m]))) > 10', '15m', 'warning',
       'config takes over 10s to reach proxies of {{ $labels.istio_io_rev }}',
       'The 99th percentile of pilot_proxy_convergence_time has been above 10 seconds for 15 minutes, so config changes reach the slowest proxies late. Usually istiod needs more CPU or replicas, or Sidecar resources should limit what each proxy receives.'),
];

local alertGroups(input) = [{
  name: 'meshplane.istio-control-plane',
  rules: [revisionDown(input, rev) for rev in input.revisions] + common,
}];

local scrapeObjects(input, flavour) =
  local labels = std.get(input.spec.monitoring, 'prometheusLabels', {});
  local limits = if flavour == 'azure-managed' then azureLimits else {};
  local ns = input.namespaces.system;
  [
    k.obj(apiVersions[flavour], 'PodMonitor', 'istio-proxies', ns, labels=labels, component=component) {
      spec: limits {
        // Any namespace: sidecars live in every meshed namespace, gateways in their own.
        namespaceSelector: { any: true },
        selector: { matchExpressions: [k.req('istio-prometheus-ignore', 'DoesNotExist')] },
        podMetricsEndpoints: [{ path: '/stats/prometheus', interval: '15s', relabelings: proxyRelabelings }],
      },
    },
    // Every revision's istiod Service keeps `istio: pilot`; revision-tag Services carry the
    // same labels and select the same pods, so they are left out to avoid scraping istiod twice.
    k.obj(apiVersions[flavour], 'ServiceMonitor', 'istiod', ns, labels=labels, component=component) {
      spec: limits {
        jobLabel: 'app',
        // `app` as Istio's own ServiceMonitor sets it (samples/addons/extras/prometheus-operator.yaml,
        // 1.30.2): the Istio dashboards installed below filter istiod's series on app="istiod".
        targetLabels: ['app', 'istio.io/rev'],
        namespaceSelector: { matchNames: [ns] },
        selector: { matchExpressions: [k.req('istio', 'In', ['pilot']), k.req('istio.io/tag', 'DoesNotExist')] },
        endpoints: [{ port: 'http-monitoring', interval: '15s' }],
      },
    },
  ] + (if flavour == 'prometheus-operator' then [
         k.obj(apiVersions[flavour], 'PrometheusRule', 'istio-control-plane', ns, labels=labels, component=component) {
           spec: { groups: alertGroups(input) },
         },
       ] else []);

// Istio's published dashboards by grafana.com id (docs/design.md, "Facts about a revisioned Istio install").
local istioDashboards = [
  { name: 'istio-mesh', id: 7639 },
  { name: 'istio-service', id: 7636 },
  { name: 'istio-workload', id: 7630 },
  { name: 'istio-control-plane', id: 7645 },
  { name: 'istio-performance', id: 11829 },
  { name: 'istio-wasm-extension', id: 13277 },
];

local dashboard(input, name, source) =
  k.obj('grafana.integreatly.org/v1beta1', 'GrafanaDashboard', name, input.namespaces.system, component=component) {
    spec: source {
      instanceSelector: { matchLabels: input.spec.monitoring.grafanaInstanceSelector },
      // The Grafana instance lives in its own namespace, never in aks-istio-system.
      allowCrossNamespaceImport: true,
      folder: 'Istio',
    },
  };

local dashboards(input) =
  [dashboard(input, d.name, { grafanaCom: { id: d.id } }) for d in istioDashboards]
  + [dashboard(input, 'meshplane-control-plane', { json: k.json(controlPlane(input)) })];

function(input)
  local mon = input.spec.monitoring;
  (if std.objectHas(apiVersions, mon.prometheus) then scrapeObjects(input, mon.prometheus) else [])
  + (if mon.grafana == 'grafana-operator' then dashboards(input) else [])
