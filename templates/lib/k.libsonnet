// Small constructors shared by every template: object metadata, labels and common shapes.
// Templates build plain objects; the TypeScript `decorate` stage adds the mesh labels and sync
// waves (from the meshplane.io/component label set here), so no template repeats them.
{
  // A Kubernetes object with name, optional namespace, labels and the component it belongs to.
  obj(apiVersion, kind, name, namespace=null, labels={}, annotations={}, component='control-plane'):: {
    apiVersion: apiVersion,
    kind: kind,
    metadata: {
      name: name,
      labels: labels { 'meshplane.io/component': component },
      [if namespace != null then 'namespace']: namespace,
      [if std.length(annotations) > 0 then 'annotations']: annotations,
    },
  },

  // Labels istiod-owned objects carry (istio.io/rev where the object belongs to a revision).
  revLabels(rev, extra={}):: extra {
    'istio.io/rev': rev.name,
    'app.kubernetes.io/part-of': 'istio',
    'app.kubernetes.io/version': rev.istioVersion,
  },

  // A label-selector requirement.
  req(key, operator, values=null):: { key: key, operator: operator } + (if values == null then {} else { values: values }),

  // A container env var from a fixed value or a field reference.
  env(name, value):: { name: name, value: value },
  fieldEnv(name, path):: { name: name, valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: path } } },

  // An RBAC rule.
  rule(apiGroups, resources, verbs):: { apiGroups: apiGroups, resources: resources, verbs: verbs },

  // Read-only verbs, used by most rules.
  read:: ['get', 'list', 'watch'],

  // Embedded documents (ConfigMap data, dashboard JSON): serialized by the `encode` stage in
  // src/pipeline/encode.ts, because libjsonnet's std.manifest* functions cost 30-500 ms each.
  yaml(value):: { 'meshplane.io/encode': 'yaml', value: value },
  json(value):: { 'meshplane.io/encode': 'json', value: value },

  // imagePullSecrets of a pod spec from spec.images.imagePullSecrets (names); nothing when unset.
  pullSecrets(names):: if std.length(names) > 0 then { imagePullSecrets: [{ name: n } for n in names] } else {},

  // The arrays of `arrays` one after the other. std.join with an array separator is native code
  // in libjsonnet; std.flattenArrays and std.flatMap fold in jsonnet (~5x the cost, measured).
  flatten(arrays):: std.join([], arrays),

  // The distinct strings of `strings`, sorted (what std.set returns for strings). Why not
  // std.set: it sorts in jsonnet (~4M instructions for 8 strings in the jsonnet CLI 0.18), while
  // an object's field names come back sorted from native code (~7x cheaper, measured).
  stringSet(strings):: std.objectFields(std.foldl(function(o, s) o { [s]: null }, strings, {})),

  // Keeps the non-null entries of a list (for optional objects).
  compact(list):: [x for x in list if x != null],
}
