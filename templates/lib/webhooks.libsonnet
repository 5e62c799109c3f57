// Admission webhook entries for sidecar injection and config validation
// (docs/design.md, "Facts about a revisioned Istio install"). caBundle is never rendered: istiod writes it.
local k = import 'k.libsonnet';

local injectRule = [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] }];

// Istio config groups the validator checks: every resource of these groups, all versions.
local validatedGroups = ['security.istio.io', 'networking.istio.io', 'telemetry.istio.io', 'extensions.istio.io'];

local service(serviceName, ns, path) = { service: { name: serviceName, namespace: ns, path: path, port: 443 } };

{
  // The two injection webhooks of a revision (or of a tag: `selectorValue` is the tag name).
  injection(serviceName, ns, selectorValue):: [
    {
      name: 'rev.namespace.sidecar-injector.istio.io',
      clientConfig: service(serviceName, ns, '/inject'),
      rules: injectRule,
      sideEffects: 'None',
      failurePolicy: 'Fail',
      reinvocationPolicy: 'Never',
      admissionReviewVersions: ['v1'],
      namespaceSelector: { matchExpressions: [k.req('istio.io/rev', 'In', [selectorValue]), k.req('istio-injection', 'DoesNotExist')] },
      objectSelector: { matchExpressions: [k.req('sidecar.istio.io/inject', 'NotIn', ['false'])] },
    },
    {
      name: 'rev.object.sidecar-injector.istio.io',
      clientConfig: service(serviceName, ns, '/inject'),
      rules: injectRule,
      sideEffects: 'None',
      failurePolicy: 'Fail',
      reinvocationPolicy: 'Never',
      admissionReviewVersions: ['v1'],
      namespaceSelector: { matchExpressions: [k.req('istio.io/rev', 'DoesNotExist'), k.req('istio-injection', 'DoesNotExist')] },
      objectSelector: { matchExpressions: [k.req('sidecar.istio.io/inject', 'NotIn', ['false']), k.req('istio.io/rev', 'In', [selectorValue])] },
    },
  ],

  // A validation webhook entry; `revSelector` limits it to objects labelled for one revision.
  validation(name, rev, ns, revSelector):: {
    name: name,
    clientConfig: service('istiod-' + rev.name, ns, '/validate'),
    rules: [{ operations: ['CREATE', 'UPDATE'], apiGroups: validatedGroups, apiVersions: ['*'], resources: ['*'] }],
    sideEffects: 'None',
    admissionReviewVersions: ['v1'],
    [if revSelector != null then 'objectSelector']: { matchExpressions: [k.req('istio.io/rev', 'In', [revSelector])] },
  },
}
