// Mesh-wide objects that are not per revision: namespaces, the reader ServiceAccount, and the
// default validator that validates unlabelled Istio config with the default (highest) revision.
local k = import 'lib/k.libsonnet';
local hooks = import 'lib/webhooks.libsonnet';

local namespace(name) =
  k.obj('v1', 'Namespace', name, component='namespaces');

// Namespaces of the enabled egress gateways (resolved in src/pipeline/resolve-gateways.ts),
// except the two rendered anyway.
local egressNamespaces(input) =
  k.stringSet([g.namespace for g in input.gateways.egress if g.namespace != input.namespaces.system && g.namespace != input.namespaces.ingress]);

{
  namespaces(input)::
    [namespace(input.namespaces.system), namespace(input.namespaces.ingress)]
    + [namespace(n) for n in egressNamespaces(input)],

  // Bound by every revision's reader ClusterRoleBinding (multicluster remote-secret reads).
  readerServiceAccount(input)::
    k.obj('v1', 'ServiceAccount', 'istio-reader-service-account', input.namespaces.system,
          labels={ app: 'istio-reader', 'app.kubernetes.io/part-of': 'istio' }),

  // Installed with failurePolicy Ignore like every validator (lib/webhooks.libsonnet explains why).
  defaultValidator(input)::
    local rev = [r for r in input.revisions if r.isDefault][0];
    k.obj('admissionregistration.k8s.io/v1', 'ValidatingWebhookConfiguration', 'istiod-default-validator',
          labels=k.revLabels(rev, { app: 'istiod', istio: 'istiod' })) {
      webhooks: [hooks.validation('validation.istio.io', rev, input.namespaces.system, null)],
    },
}
