import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../core/types.js';
import { findNamespaceMoves } from './namespace-moves.js';

const ns = (name: string, rev?: string): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, ...(rev ? { labels: { 'istio.io/rev': rev } } : {}) } });
const tag = (name: string, rev: string): KubeObject => ({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration', metadata: { name: `istio-revision-tag-${name}`, labels: { 'istio.io/rev': rev, 'istio.io/tag': name } } });

describe('findNamespaceMoves', () => {
  const cases: Array<{ name: string; base: KubeObject[]; head: KubeObject[]; want: string[] }> = [
    { name: 'a tag moves: its namespaces move', base: [tag('a', 'asm-1-28'), tag('b', 'asm-1-28'), ns('x', 'a'), ns('y', 'b')], head: [tag('a', 'asm-1-29'), tag('b', 'asm-1-28'), ns('x', 'a'), ns('y', 'b')], want: ['x asm-1-28→asm-1-29 a→a'] },
    { name: 'a label changes from a revision to a tag on another revision', base: [tag('a', 'asm-1-29'), ns('x', 'asm-1-28')], head: [tag('a', 'asm-1-29'), ns('x', 'a')], want: ['x asm-1-28→asm-1-29 asm-1-28→a'] },
    { name: 'a label changes but the revision stays', base: [tag('a', 'asm-1-28'), ns('x', 'asm-1-28')], head: [tag('a', 'asm-1-28'), ns('x', 'a')], want: [] },
    { name: 'namespaces on one side only or unlabelled are not moves', base: [ns('x', 'asm-1-28'), ns('z')], head: [ns('y', 'asm-1-29'), ns('z')], want: [] },
    { name: 'sorted by namespace', base: [tag('a', 'asm-1-28'), ns('b2', 'a'), ns('a1', 'a')], head: [tag('a', 'asm-1-29'), ns('b2', 'a'), ns('a1', 'a')], want: ['a1 asm-1-28→asm-1-29 a→a', 'b2 asm-1-28→asm-1-29 a→a'] },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(findNamespaceMoves(c.base, c.head).map((m) => `${m.namespace} ${m.from}→${m.to} ${m.labelFrom}→${m.labelTo}`), c.want));
  }
});
