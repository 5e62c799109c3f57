/** Text, markdown and JSON forms of the `upgrade status` report (one wording for all three). */
import type { NamespaceRollout, PodRollout, RolloutReport, WaveRollout } from './rollout.js';

/** Where the report came from, for its header. */
export interface StatusSource {
  server: string;
  context: string;
}

function verdict(ok: boolean): string {
  return ok ? 'yes' : 'no';
}

function waveTitle(w: WaveRollout): string {
  const status = w.done ? 'done' : `${w.needRestart} to restart, ${w.notReady} not ready`;
  return `wave ${w.index + 1} (tag ${w.tag} → ${w.target ?? 'no revision'}, ${w.moved ? 'moved' : 'not moved'}): ${status}`;
}

function podLine(p: PodRollout): string {
  const rev = p.revision ?? 'no sidecar';
  const version = p.proxyVersion ? ` proxy ${p.proxyVersion}` : '';
  const owner = p.owner ? ` [${p.owner}]` : '';
  return `${p.name}: ${rev}${version}, ${p.ready ? 'ready' : 'not ready'}, ${p.state}${owner}`;
}

function revisionCounts(n: NamespaceRollout): string {
  const counts = new Map<string, number>();
  for (const p of n.pods) counts.set(p.revision ?? 'no sidecar', (counts.get(p.revision ?? 'no sidecar') ?? 0) + 1);
  const parts = [...counts.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([r, c]) => `${c} on ${r}`);
  return parts.length ? parts.join(', ') : 'no pods';
}

function nsTitle(n: NamespaceRollout): string {
  if (!n.exists) return `${n.name}: not in the cluster`;
  return `${n.name} (istio.io/rev=${n.revLabel ?? '(none)'}): ${revisionCounts(n)}`;
}

/** Terminal text. */
export function formatStatusText(r: RolloutReport, src: StatusSource): string {
  const out = [`meshplane upgrade status: mesh ${r.mesh}, context ${src.context} (${src.server})`];
  out.push(r.canary ? `upgrade ${r.stable ?? ''} → ${r.canary}` : `no canary upgrade in progress (revisions: ${r.revisions.join(', ') || 'none'})`);
  for (const w of r.waves) {
    out.push(waveTitle(w));
    for (const n of w.namespaces) {
      out.push(`  ${nsTitle(n)}`);
      for (const p of n.pods) if (p.state !== 'current' || !p.ready) out.push(`    ${podLine(p)}`);
    }
  }
  out.push(`safe to advance: ${verdict(r.safeToAdvance)}`, `safe to complete: ${verdict(r.safeToComplete)}`, `next: ${r.next}`);
  for (const b of r.blockers) out.push(`  blocked: ${b}`);
  return `${out.join('\n')}\n`;
}

/** Markdown (a CI summary or PR comment). */
export function formatStatusMarkdown(r: RolloutReport, src: StatusSource): string {
  const out = [`### Meshplane upgrade status: ${r.mesh}`, '', `Context \`${src.context}\`; ${r.canary ? `upgrade \`${r.stable ?? ''}\` → \`${r.canary}\`` : 'no canary upgrade in progress'}.`, ''];
  out.push(`**Safe to advance:** ${verdict(r.safeToAdvance)} · **Safe to complete:** ${verdict(r.safeToComplete)} · **Next:** ${r.next}`, '');
  out.push('| wave | tag → revision | moved | namespace | pods | to restart | not ready |', '| ---: | --- | --- | --- | --- | ---: | ---: |');
  for (const w of r.waves) {
    for (const n of w.namespaces) {
      const restart = n.pods.filter((p) => p.state === 'needs-restart' || p.state === 'not-injected').length;
      const notReady = n.pods.filter((p) => p.state === 'current' && !p.ready).length;
      out.push(`| ${w.index + 1} | \`${w.tag}\` → \`${w.target ?? '?'}\` | ${verdict(w.moved)} | \`${n.name}\` | ${n.exists ? revisionCounts(n) : 'not in the cluster'} | ${restart} | ${notReady} |`);
    }
  }
  const pending = r.waves.flatMap((w) => w.namespaces.flatMap((n) => n.pods.filter((p) => p.state !== 'current' || !p.ready).map((p) => `- \`${n.name}/${p.name}\`: ${podLine(p).slice(p.name.length + 2)}`)));
  if (pending.length) out.push('', '#### Pods to restart or wait for', '', ...pending);
  if (r.blockers.length) out.push('', '#### Blocked', '', ...r.blockers.map((b) => `- ${b}`));
  return `${out.join('\n')}\n`;
}

/** JSON for scripts. */
export function formatStatusJson(r: RolloutReport, src: StatusSource): string {
  return `${JSON.stringify({ apiVersion: 'meshplane.io/v1alpha1', kind: 'UpgradeStatus', context: src.context, server: src.server, ...r }, null, 2)}\n`;
}
