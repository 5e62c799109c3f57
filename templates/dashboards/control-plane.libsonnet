// Meshplane's control-plane dashboard (Grafana dashboard JSON, embedded in a GrafanaDashboard
// via k.json). It reads the series Meshplane's istiod ServiceMonitor produces: job="istiod" and
// istio_io_rev per revision, so a canary shows both revisions side by side.
local rev = 'istio_io_rev=~"$revision"';

local panel(id, title, x, y, unit, targets, description) = {
  id: id,
  type: 'timeseries',
  title: title,
  description: description,
  datasource: { type: 'prometheus', uid: '${datasource}' },
  gridPos: { x: x, y: y, w: 12, h: 8 },
  fieldConfig: { defaults: { unit: unit }, overrides: [] },
  options: { legend: { displayMode: 'list', placement: 'bottom', showLegend: true }, tooltip: { mode: 'multi', sort: 'desc' } },
  targets: [
    { refId: std.char(65 + i), expr: targets[i][0], legendFormat: targets[i][1], datasource: { type: 'prometheus', uid: '${datasource}' } }
    for i in std.range(0, std.length(targets) - 1)
  ],
};

local panels = [
  panel(1, 'istiod replicas up', 0, 0, 'short',
        [['sum by (istio_io_rev) (up{job="istiod", ' + rev + '})', '{{istio_io_rev}}']],
        'Scraped istiod pods per revision; 0 means the revision is down.'),
  panel(2, 'Connected proxies', 12, 0, 'short',
        [['sum by (istio_io_rev) (pilot_xds{' + rev + '})', '{{istio_io_rev}}']],
        'xDS connections per revision: how far a canary migration has progressed.'),
  panel(3, 'xDS pushes by type', 0, 8, 'ops',
        [['sum by (istio_io_rev, type) (rate(pilot_xds_pushes{' + rev + '}[5m]))', '{{istio_io_rev}} {{type}}']],
        'Config pushes per second (cds, eds, lds, rds, ...).'),
  panel(4, 'Proxy convergence time', 12, 8, 's',
        [
          ['histogram_quantile(0.5, sum by (le, istio_io_rev) (rate(pilot_proxy_convergence_time_bucket{' + rev + '}[5m])))', 'p50 {{istio_io_rev}}'],
          ['histogram_quantile(0.99, sum by (le, istio_io_rev) (rate(pilot_proxy_convergence_time_bucket{' + rev + '}[5m])))', 'p99 {{istio_io_rev}}'],
        ],
        'Time from a config change until proxies have it.'),
  panel(5, 'Push errors and rejected config', 0, 16, 'ops',
        [
          ['sum by (istio_io_rev) (rate(pilot_xds_pushes{type=~"[a-z]+_senderr", ' + rev + '}[5m]))', 'push errors {{istio_io_rev}}'],
          ['sum by (istio_io_rev) (rate(pilot_total_xds_rejects{' + rev + '}[5m]))', 'rejected by proxies {{istio_io_rev}}'],
          ['sum by (istio_io_rev) (rate(pilot_total_xds_internal_errors{' + rev + '}[5m]))', 'internal errors {{istio_io_rev}}'],
        ],
        'Should stay at 0; the PrometheusRule alerts when it does not.'),
  panel(6, 'Sidecar injection', 12, 16, 'ops',
        [
          ['sum by (istio_io_rev) (rate(sidecar_injection_requests_total{' + rev + '}[5m]))', 'requests {{istio_io_rev}}'],
          ['sum by (istio_io_rev) (rate(sidecar_injection_success_total{' + rev + '}[5m]))', 'success {{istio_io_rev}}'],
          ['sum by (istio_io_rev) (rate(sidecar_injection_failure_total{' + rev + '}[5m]))', 'failure {{istio_io_rev}}'],
        ],
        'Injection webhook calls; failures block pod creation.'),
  panel(7, 'Config validation', 0, 24, 'ops',
        [
          ['sum by (istio_io_rev) (rate(galley_validation_passed{' + rev + '}[5m]))', 'passed {{istio_io_rev}}'],
          ['sum by (istio_io_rev, reason) (rate(galley_validation_failed{' + rev + '}[5m]))', 'failed {{istio_io_rev}} {{reason}}'],
        ],
        'Istio config checked by the validation webhook.'),
  panel(8, 'istiod CPU and memory', 12, 24, 'short',
        [
          ['sum by (istio_io_rev) (rate(process_cpu_seconds_total{job="istiod", ' + rev + '}[5m]))', 'CPU cores {{istio_io_rev}}'],
          ['sum by (istio_io_rev) (process_resident_memory_bytes{job="istiod", ' + rev + '}) / 2^30', 'memory GiB {{istio_io_rev}}'],
        ],
        'Resource use per revision, to compare a canary with the stable revision.'),
];

function(input) {
  title: 'Meshplane / Istio control plane (' + input.mesh.name + ')',
  // Grafana refuses a uid over 40 characters (grafana/grafana pkg/util/shortid_generator.go
  // IsShortUIDTooLong). A longer one keeps 31 characters and appends 8 hex digits of the mesh
  // name's md5, so two meshes whose names share their first 27 characters (a fleet sending its
  // dashboards to one external Grafana) no longer get one uid and overwrite each other's
  // dashboard; uids of 40 characters or fewer are unchanged.
  local full = 'meshplane-cp-' + input.mesh.name,
  uid: if std.length(full) <= 40 then full else std.substr(full, 0, 31) + '-' + std.substr(std.md5(input.mesh.name), 0, 8),
  tags: ['istio', 'meshplane'],
  editable: false,
  schemaVersion: 39,
  refresh: '30s',
  time: { from: 'now-3h', to: 'now' },
  timezone: 'utc',
  templating: {
    list: [
      { name: 'datasource', label: 'Data source', type: 'datasource', query: 'prometheus' },
      {
        name: 'revision',
        label: 'Revision',
        type: 'query',
        datasource: { type: 'prometheus', uid: '${datasource}' },
        query: 'label_values(up{job="istiod"}, istio_io_rev)',
        refresh: 2,
        includeAll: true,
        multi: true,
        current: { text: 'All', value: '$__all' },
      },
    ],
  },
  panels: panels,
}
