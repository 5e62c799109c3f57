import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { clusterStatus, fleetExitCode, fleetReport, type FleetCluster, type FleetGuardrails, type FleetUpgrade, type RevisionWindow, type WindowStatus } from './report.js';

const rev = (status: WindowStatus): RevisionWindow => ({ revision: 'asm-1-30', istio: '1.30.2', released: '2026-07-17', endOfLife: '2026-12-31', endOfLifeEstimated: true, status, support: '', vouched: true, vouchedUntil: '2026-11-16', tags: [] });
const guard = (verdict: FleetGuardrails['verdict']): FleetGuardrails => ({ verdict, errors: verdict === 'fail' ? 1 : 0, warnings: verdict === 'warn' ? 1 : 0, waived: 0, findings: [] });
const up = (state: FleetUpgrade['state']): FleetUpgrade => ({ state, available: null, allowed: [], blockedBecause: [], next: '' });

describe('clusterStatus', () => {
  const cases: Array<[string, WindowStatus[], FleetGuardrails['verdict'], FleetUpgrade['state'], string]> = [
    ['all supported, clean', ['supported'], 'pass', 'latest', 'ok'],
    ['upgradable is still ok', ['supported'], 'pass', 'upgradable', 'ok'],
    ['a warning', ['supported'], 'warn', 'latest', 'attention'],
    ['ending soon', ['ending-soon'], 'pass', 'latest', 'attention'],
    ['a canary in progress', ['supported', 'supported'], 'pass', 'canary', 'attention'],
    ['upgrade blocked', ['supported'], 'pass', 'blocked', 'attention'],
    ['past end of life', ['end-of-life', 'supported'], 'warn', 'canary', 'end-of-life'],
    ['unknown revision', ['unknown'], 'pass', 'invalid', 'end-of-life'],
    ['guardrail errors win', ['end-of-life'], 'fail', 'latest', 'failing'],
  ];
  for (const [name, windows, verdict, state, want] of cases) it(`${name} → ${want}`, () => assert.equal(clusterStatus(windows.map(rev), guard(verdict), up(state)), want));
});

describe('fleetExitCode', () => {
  const line = (status: FleetCluster['status']): FleetCluster => ({ cluster: status, folder: status, status, mesh: null, kubernetes: null, revisions: [rev('supported')], danglingTags: [], upgrade: null, guardrails: null, error: null });
  const cases: Array<[FleetCluster['status'][], number]> = [
    [['ok', 'attention'], 0],
    [['ok', 'failing'], 1],
    [['end-of-life'], 1],
    [['attention', 'error'], 1],
  ];
  for (const [statuses, want] of cases) {
    it(`${statuses.join(', ')} → ${want}`, () => {
      const report = fleetReport('2026-12-02', false, statuses.map(line), [], null);
      assert.equal(fleetExitCode(report), want);
      assert.equal(report.summary.clusters, statuses.length);
      assert.equal(report.summary.revisions, statuses.length);
    });
  }
});
