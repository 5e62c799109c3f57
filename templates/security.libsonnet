// Mesh-wide security defaults, in the root namespace so they apply to every workload and are
// not tied to a revision: spec.security.mtls → PeerAuthentication `default`;
// spec.security.defaultDeny → an allow-nothing AuthorizationPolicy (an ALLOW policy without
// rules matches no request, so every request is denied unless another ALLOW policy matches it;
// docs/intent-reference.md shows how to open paths). apiVersions come from
// src/pipeline/resolve-addons.ts: the newest version the oldest installed revision serves.
local k = import 'lib/k.libsonnet';

function(input)
  local sec = std.get(input.spec, 'security', {});
  local root = input.namespaces.system;
  k.compact([
    if std.objectHas(sec, 'mtls') then
      k.obj(input.securityApis.peerAuthentication, 'PeerAuthentication', 'default', root, component='security') {
        spec: { mtls: { mode: sec.mtls } },
      },
    if std.get(sec, 'defaultDeny', false) then
      k.obj(input.securityApis.authorizationPolicy, 'AuthorizationPolicy', 'allow-nothing', root, component='security') {
        spec: {},
      },
  ])
