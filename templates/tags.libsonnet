// Revision tags (istioctl tag semantics, docs/design.md, "Facts about a revisioned Istio install"): per tag an injection webhook
// `istio-revision-tag-<tag>` whose selectors match istio.io/rev=<tag> and whose service is the
// target revision's istiod; from Istio 1.28 also a Service `istiod-revision-tag-<tag>`.
local k = import 'lib/k.libsonnet';
local hooks = import 'lib/webhooks.libsonnet';

local servicePorts = (import 'lib/ports.libsonnet').istiodService;

local tagObjects(input, rev, tag) =
  local labels = k.revLabels(rev, { 'istio.io/tag': tag });
  [
    k.obj('admissionregistration.k8s.io/v1', 'MutatingWebhookConfiguration', 'istio-revision-tag-' + tag,
          labels=labels { app: 'sidecar-injector' }) {
      webhooks: hooks.injection(rev, input.namespaces.system, tag),
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
