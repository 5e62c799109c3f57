// Revision tags (istioctl tag semantics, docs/design.md, "Facts about a revisioned Istio install"): per tag an injection webhook
// `istio-revision-tag-<tag>-<namespace>` whose selectors match istio.io/rev=<tag> and whose
// service is the target revision's istiod; from Istio 1.28 also a Service
// `istiod-revision-tag-<tag>`. The webhook's name is the chart's (revision-tags.yaml up to 1.27.9,
// revision-tags-mwc.yaml from 1.28.0, every tag 1.20.8 to 1.30.2): -<namespace> is appended
// unless the namespace is istio-system. `istioctl tag set` renders that chart with the Istio
// namespace as the release namespace (istioctl/pkg/tag/generate.go), so it names it the same.
local k = import 'lib/k.libsonnet';
local hooks = import 'lib/webhooks.libsonnet';

local servicePorts = (import 'lib/ports.libsonnet').istiodService;

local tagObjects(input, rev, tag) =
  local labels = k.revLabels(rev, { 'istio.io/tag': tag });
  local ns = input.namespaces.system;
  [
    k.obj('admissionregistration.k8s.io/v1', 'MutatingWebhookConfiguration', hooks.configName('istio-revision-tag-' + tag, ns),
          labels=labels { app: 'sidecar-injector' }) {
      webhooks: hooks.injection(rev, ns, tag),
    },
  ] + (
    if rev.revisionTagService then [
      k.obj('v1', 'Service', 'istiod-revision-tag-' + tag, input.namespaces.system, labels=labels { app: 'istiod', istio: 'pilot' }) {
        spec: { ports: servicePorts, selector: { app: 'istiod', 'istio.io/rev': rev.name } },
      },
    ] else []
  );

function(input)
  k.flatten([
    tagObjects(input, [r for r in input.revisions if r.name == t.revision][0], t.name)
    for t in input.tags
  ])
