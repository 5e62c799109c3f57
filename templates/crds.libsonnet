// Istio CRDs served by the newest revision, as valid apiextensions.k8s.io/v1 objects with
// structural schemas. The list and versions come from catalog/istio-crds.yaml via the input.
//
// Why the schemas are open (spec and status preserve unknown fields; no printer columns):
// upstream's openAPIV3Schema lives only in istio/istio's crd-all.gen.yaml, and no package on the
// registries Meshplane builds from (npm, Debian) ships it as data: @kubernetes-models/istio ships
// ajv-compiled validators generated from it (no raw schema, no printer columns), and Debian has
// no Istio package. Writing the schemas by hand or copying upstream's file would be a model not
// derived from a published source, so the CRDs stay open; istiod's validating webhook checks the
// content on apply, and the tests validate every rendered Istio object with the package's
// validators (test/schemas/).
local k = import 'lib/k.libsonnet';

local openSchema = {
  openAPIV3Schema: {
    type: 'object',
    properties: {
      spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
      status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
    },
  },
};

local crd(c, newest) =
  k.obj('apiextensions.k8s.io/v1', 'CustomResourceDefinition', c.plural + '.' + c.group,
        labels={ 'app.kubernetes.io/part-of': 'istio', 'app.kubernetes.io/version': newest.istioVersion },
        component='crds') {
    spec: {
      group: c.group,
      names: {
        kind: c.kind,
        listKind: c.kind + 'List',
        plural: c.plural,
        singular: std.asciiLower(c.kind),
        // std.splitLimit, not std.split: in the jsonnet CLI 0.18 std.split costs ~15x more (measured).
        categories: ['istio-io', std.splitLimit(c.group, '.', 1)[0] + '-istio-io'],
        [if std.length(c.shortNames) > 0 then 'shortNames']: c.shortNames,
      },
      scope: 'Namespaced',
      versions: [
        { name: v, served: true, storage: v == c.storage, schema: openSchema, subresources: { status: {} } }
        for v in c.versions
      ],
    },
  };

function(input)
  local newest = input.revisions[std.length(input.revisions) - 1];
  [crd(c, newest) for c in input.crds]
