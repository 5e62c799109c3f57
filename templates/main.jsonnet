// Entry point: the whole mesh in one evaluation. `input` is the resolved intent built by
// src/pipeline/resolve.ts (plain JSON); the result is the list of objects to emit.
local base = import 'base.libsonnet';
local crds = import 'crds.libsonnet';
local istiod = import 'istiod.libsonnet';
local policy = import 'policy.libsonnet';
local tags = import 'tags.libsonnet';

function(input)
  crds(input)
  + base.namespaces(input)
  + [base.readerServiceAccount(input), base.defaultValidator(input)]
  // std.join([], …) concatenates arrays in native code (std.flattenArrays folds in jsonnet).
  + std.join([], [istiod.revision(input, rev) for rev in input.revisions])
  + tags(input)
  // Optional parts are imported only when used (input.parts; imports are lazy): libjsonnet
  // parses its stdlib again for every imported file, 30-50 ms each, used or not.
  + (if input.parts.ingressGateways then (import 'ingress-gateways.libsonnet')(input) else [])
  + (if input.parts.egressGateways then (import 'egress-gateways.libsonnet')(input) else [])
  + (if input.pluginCa != null then std.join([], [(import 'plugin-ca.libsonnet').revision(input, rev) for rev in input.revisions]) else [])
  + (if input.parts.monitoring then (import 'monitoring.libsonnet')(input) else [])
  + (if input.parts.security then (import 'security.libsonnet')(input) else [])
  + (if input.parts.coreDNS then (import 'coredns.libsonnet')(input) else [])
  + (if input.cniAgent != null then (import 'cni.libsonnet')(input) else [])
  + (import 'preflight.libsonnet')(input)
  + (import 'restart-hook.libsonnet')(input)
  + policy(input)
