// The in-cluster half of the guardrails (defense in depth, as the managed add-on's webhook):
// a ValidatingAdmissionPolicy + binding that deny creating or updating the forbidden kinds and
// Istio-programmed Gateway API objects, honouring the mesh's unexpired exceptions, so that a
// `kubectl apply` around GitOps meets the same rules as `meshplane check`.
//
// input.policy is decided in src/pipeline/resolve.ts (policyInput): the forbidden kinds in force,
// the unexpired exceptions of the two rules enforced here (their segments hold only characters of
// Kubernetes names, so they can be quoted as CEL string literals), and whether the cluster serves
// admissionregistration.k8s.io/v1 policies (Kubernetes 1.30+; otherwise nothing is rendered).
local k = import 'lib/k.libsonnet';

local gatewayGroup = 'gateway.networking.k8s.io';
// Route kinds that Istio programs as GAMMA (mesh) routes when a parentRef is a mesh parent.
local routeKinds = ['HTTPRoute', 'GRPCRoute', 'TCPRoute', 'TLSRoute'];
local name = 'meshplane-guardrails';

// Strings are built with `+`, not `%`: libjsonnet's std.format parses the format string in
// jsonnet, character by character (several ms for one of these CEL lines).
local str(s) = "'" + s + "'";
local apiGroupOf(group) = if group == 'core' then '' else group;

// CEL: the object is of kind `group/kind` (any version).
local isKind(group, kind) =
  local g = apiGroupOf(group);
  (if g == '' then "object.apiVersion == 'v1'" else 'object.apiVersion.startsWith(' + str(g + '/') + ')')
  + ' && object.kind == ' + str(kind);

local anyOf(terms) = if std.length(terms) == 0 then 'false' else std.join(' || ', ['(' + t + ')' for t in terms]);

// CEL: the object is the one an exception names (`*` as name matches every name).
local waiver(e) = std.join(' && ', [isKind(e.group, e.kind), 'variables.ns == ' + str(e.namespace)]
                                   + (if e.name == '*' then [] else ['variables.name == ' + str(e.name)]));

local waivers(input, rule) = anyOf([waiver(e) for e in input.policy.exceptions if e.rule == rule]);

local forbidden(input) = anyOf([isKind(f.group, f.kind) for f in input.policy.forbiddenKinds]);

local has(path) = 'has(' + path + ')';

// The mesh parents, as Istio 1.30.3 reads a parentRef (pilot/pkg/config/kube/gateway/conversion.go
// allowedParentReferences): a core Service (group "") and an Istio ServiceEntry. The API server
// has already written Gateway API's default group (gateway.networking.k8s.io) into a parentRef
// that omitted it, so only an explicit "" names the core group; src/rules/gateway-api-unsupported.ts
// decides the same on the source.
local meshParent = "has(r.kind) && has(r.group) && ((r.kind == 'Service' && r.group == '') || (r.kind == 'ServiceEntry' && r.group == 'networking.istio.io'))";

local istioGateway = std.join(' ', [
  'object.apiVersion.startsWith(' + str(gatewayGroup + '/') + ') && (',
  "(object.kind == 'GatewayClass' && " + has('object.spec') + ' && ' + has('object.spec.controllerName')
  + " && object.spec.controllerName == 'istio.io/gateway-controller')",
  "|| (object.kind == 'Gateway' && " + has('object.spec') + ' && ' + has('object.spec.gatewayClassName')
  + " && object.spec.gatewayClassName == 'istio')",
  '|| (object.kind in [' + std.join(', ', [str(r) for r in routeKinds]) + '] && ' + has('object.spec') + ' && ' + has('object.spec.parentRefs')
  + ' && object.spec.parentRefs.exists(r, ' + meshParent + '))',
  ')',
]);

local message(rule, why) =
  "object.kind + ' ' + (variables.ns == '' ? '' : variables.ns + '/') + variables.name + "
  + str(' is denied by the mesh guardrails (meshplane rule ' + rule + '): ' + why + '. Remove it, or add a spec.policy.exceptions entry (rule, resource, reason, expires) to mesh.yaml.');

local groups(input) =
  k.stringSet([apiGroupOf(f.group) for f in input.policy.forbiddenKinds] + [gatewayGroup]);

local policy(input) =
  k.obj('admissionregistration.k8s.io/v1', 'ValidatingAdmissionPolicy', name, component='policy') {
    spec: {
      failurePolicy: 'Fail',
      matchConstraints: {
        resourceRules: [{ apiGroups: groups(input), apiVersions: ['*'], operations: ['CREATE', 'UPDATE'], resources: ['*'] }],
      },
      // An UPDATE that leaves the spec of an object already being deleted as it was is left
      // alone. Removing its last finalizer is such an UPDATE (the garbage collector sends one to
      // drop `foregroundDeletion`, which Argo CD's default foreground prune adds), so denying it
      // would leave a forbidden object Terminating for ever. The stored copy (oldObject) is read:
      // a request cannot set deletionTimestamp.
      // The spec must be unchanged because an object being deleted can be held for ever by a
      // finalizer nobody removes, the API server still accepts spec changes to it (it refuses
      // only new finalizers: apimachinery v0.36.0 pkg/api/validation/objectmeta.go
      // ValidateObjectMetaAccessorUpdate), and Istio keeps programming it (istio 1.30.2 never
      // reads deletionTimestamp in pilot/pkg/config/kube/gateway or pkg/kube/kclient). The
      // validations read only the group, kind, namespace and name (fixed for an object) and the
      // spec, so an UPDATE with the same spec gets the verdict its stored object had.
      // oldObject is null on CREATE (admissionregistration/v1 types.go, kubernetes/api v0.30.0);
      // `oldObject == null` is how k8s.io/apiserver's own tests test for it (v0.30.0,
      // pkg/admission/plugin/cel/compile_test.go), since has() takes only a field.
      // A match condition sees no `variables` (validation.go compiles it without composition).
      matchConditions: [
        {
          name: 'not-being-deleted-or-spec-changed',
          expression: std.join(' || ', [
            'oldObject == null',
            '!' + has('oldObject.metadata.deletionTimestamp'),
            has('object.spec') + ' != ' + has('oldObject.spec'),
            '(' + has('object.spec') + ' && object.spec != oldObject.spec)',
          ]),
        },
      ],
      variables: [
        { name: 'ns', expression: "has(object.metadata.namespace) ? object.metadata.namespace : ''" },
        { name: 'name', expression: "has(object.metadata.name) ? object.metadata.name : ''" },
        { name: 'forbidden', expression: forbidden(input) },
        { name: 'forbiddenWaived', expression: waivers(input, 'forbidden-kind') },
        { name: 'istioGateway', expression: istioGateway },
        { name: 'istioGatewayWaived', expression: waivers(input, 'gateway-api-unsupported') },
      ],
      validations: [
        {
          expression: '!variables.forbidden || variables.forbiddenWaived',
          messageExpression: message('forbidden-kind', 'the managed Istio add-on does not allow this kind'),
          reason: 'Forbidden',
        },
        {
          expression: '!variables.istioGateway || variables.istioGatewayWaived',
          messageExpression: message('gateway-api-unsupported', 'Gateway API objects programmed by Istio are not supported by the managed add-on'),
          reason: 'Forbidden',
        },
      ],
    },
  };

local binding(input) =
  k.obj('admissionregistration.k8s.io/v1', 'ValidatingAdmissionPolicyBinding', name, component='policy') {
    spec: { policyName: name, validationActions: ['Deny'] },
  };

function(input)
  if input.policy.admissionPolicy then [policy(input), binding(input)] else []
