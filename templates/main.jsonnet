// Entry point: the whole mesh in one evaluation. `input` is the resolved intent built by
// src/pipeline/resolve.ts (plain JSON); the result is the list of objects to emit.
local base = import 'base.libsonnet';
local crds = import 'crds.libsonnet';
local istiod = import 'istiod.libsonnet';
local tags = import 'tags.libsonnet';

function(input)
  crds(input)
  + base.namespaces(input)
  + [base.readerServiceAccount(input), base.defaultValidator(input)]
  + std.flattenArrays([istiod.revision(input, rev) for rev in input.revisions])
  + tags(input)
