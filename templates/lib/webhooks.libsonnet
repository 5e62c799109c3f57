// Admission webhook entries for sidecar injection and config validation, shaped as istio/istio
// renders them (manifests/charts/istio-control/istio-discovery/templates/mutatingwebhook.yaml,
// validatingwebhookconfiguration.yaml, revision-tags-mwc.yaml and
// manifests/charts/base/templates/defaultrevision-validatingwebhookconfiguration.yaml, read at
// every patch tag the revisions render, 1.20.8 to 1.30.2). caBundle is never rendered: istiod
// writes it.
local k = import 'k.libsonnet';

local injectRule = [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] }];

// Istio config groups the validator checks: every resource of these groups, all versions.
local validatedGroups = ['security.istio.io', 'networking.istio.io', 'telemetry.istio.io', 'extensions.istio.io'];

// AdmissionReview versions the webhooks offer: v1beta1 and v1 up to 1.22.7, only v1 from 1.23.6
// (mutatingwebhook.yaml, validatingwebhookconfiguration.yaml, revision-tags.yaml and the base
// chart's default.yaml at those tags). istiod of those minors answers both.
local reviewVersions(rev) = if rev.minor < 23 then ['v1beta1', 'v1'] else ['v1'];

// The chart names port 443 for the injector and leaves it out (the API server default, 443)
// for the validators; we do the same so the objects compare equal to upstream's.
local service(serviceName, ns, path, port=null) = { service: { name: serviceName, namespace: ns, path: path } + (if port == null then {} else { port: port }) };

{
  // The name of an injection webhook configuration: the chart's `<base>`, with -<namespace>
  // appended unless the namespace is istio-system (mutatingwebhook.yaml for a revision's,
  // revision-tags.yaml / revision-tags-mwc.yaml for a tag's, every tag 1.20.8 to 1.30.2).
  configName(base, ns):: base + (if ns == 'istio-system' then '' else '-' + ns),

  // The two injection webhooks of a revision `rev` (or of a tag pointing at it: `selectorValue`
  // is the tag name).
  injection(rev, ns, selectorValue):: [
    {
      name: 'rev.namespace.sidecar-injector.istio.io',
      clientConfig: service('istiod-' + rev.name, ns, '/inject', 443),
      rules: injectRule,
      sideEffects: 'None',
      failurePolicy: 'Fail',
      reinvocationPolicy: 'Never',
      admissionReviewVersions: reviewVersions(rev),
      namespaceSelector: { matchExpressions: [k.req('istio.io/rev', 'In', [selectorValue]), k.req('istio-injection', 'DoesNotExist')] },
      objectSelector: { matchExpressions: [k.req('sidecar.istio.io/inject', 'NotIn', ['false'])] },
    },
    {
      name: 'rev.object.sidecar-injector.istio.io',
      clientConfig: service('istiod-' + rev.name, ns, '/inject', 443),
      rules: injectRule,
      sideEffects: 'None',
      failurePolicy: 'Fail',
      reinvocationPolicy: 'Never',
      admissionReviewVersions: reviewVersions(rev),
      namespaceSelector: { matchExpressions: [k.req('istio.io/rev', 'DoesNotExist'), k.req('istio-injection', 'DoesNotExist')] },
      objectSelector: { matchExpressions: [k.req('sidecar.istio.io/inject', 'NotIn', ['false']), k.req('istio.io/rev', 'In', [selectorValue])] },
    },
  ],

  // A validation webhook entry; `revSelector` limits it to objects labelled for one revision.
  // failurePolicy Ignore: upstream installs the validators failing open (the chart's
  // "Fail open until the validation webhook is ready" branch) and istiod's webhook controller
  // flips them to Fail, with the caBundle, once its endpoint serves. Leaving the field out
  // would let the API server default it to Fail, and every Istio config write would be
  // refused until istiod is up. Argo CD keeps istiod's value through ignoreDifferences plus
  // RespectIgnoreDifferences=true (deploy/argocd, docs/argocd.md).
  validation(name, rev, ns, revSelector):: {
    name: name,
    clientConfig: service('istiod-' + rev.name, ns, '/validate'),
    rules: [{ operations: ['CREATE', 'UPDATE'], apiGroups: validatedGroups, apiVersions: ['*'], resources: ['*'] }],
    failurePolicy: 'Ignore',
    sideEffects: 'None',
    admissionReviewVersions: reviewVersions(rev),
    [if revSelector != null then 'objectSelector']: { matchExpressions: [k.req('istio.io/rev', 'In', [revSelector])] },
  },
}
