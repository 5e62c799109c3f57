import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../core/types.js';
import { findNamespaceMoves } from './namespace-moves.js';

const ns = (name: string, rev?: string): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, ...(rev ? { labels: { 'istio.io/rev': rev } } : {}) } });
const tag = (name: string, rev: string): KubeObject => ({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration', metadata: { name: `istio-revision-tag-${name}`, labels: { 'istio.io/rev': rev, 'istio.io/tag': name } } });

// As istio-discovery names a tag webhook outside istio-system (revision-tags-mwc.yaml, 1.30.2).
const suffixed = (name: string, rev: string): KubeObject => ({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration', metadata: { name: `istio-revision-tag-${name}-aks-istio-system`, labels: { 'istio.io/rev': rev, 'istio.io/tag': name } } });
const tagWithout = (name: string): KubeObject => ({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration', metadata: { name: `istio-revision-tag-${name}` } });
const other = (kind: string, name: string, rev: string): KubeObject => ({ apiVersion: 'admissionregistration.k8s.io/v1', kind, metadata: { name, labels: { 'istio.io/rev': rev } } });
const numbered = (name: string, rev: number | null): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'istio.io/rev': rev } } } as unknown as KubeObject);

describe('findNamespaceMoves', () => {
  const cases: Array<{ name: string; base: KubeObject[]; head: KubeObject[]; want: string[] }> = [
    { name: 'a tag moves: its namespaces move', base: [tag('a', 'asm-1-28'), tag('b', 'asm-1-28'), ns('x', 'a'), ns('y', 'b')], head: [tag('a', 'asm-1-29'), tag('b', 'asm-1-28'), ns('x', 'a'), ns('y', 'b')], want: ['x asm-1-28→asm-1-29 a→a'] },
    { name: 'a label changes from a revision to a tag on another revision', base: [tag('a', 'asm-1-29'), ns('x', 'asm-1-28')], head: [tag('a', 'asm-1-29'), ns('x', 'a')], want: ['x asm-1-28→asm-1-29 asm-1-28→a'] },
    { name: 'a label changes but the revision stays', base: [tag('a', 'asm-1-28'), ns('x', 'asm-1-28')], head: [tag('a', 'asm-1-28'), ns('x', 'a')], want: [] },
    { name: 'namespaces on one side only or unlabelled are not moves', base: [ns('x', 'asm-1-28'), ns('z')], head: [ns('y', 'asm-1-29'), ns('z')], want: [] },
    { name: 'a label added or removed is not a move (the Namespace diff shows it)', base: [ns('x'), ns('y', 'asm-1-28')], head: [ns('x', 'asm-1-29'), ns('y')], want: [] },
    { name: 'a tag webhook without a revision label does not resolve the tag', base: [tagWithout('a'), ns('x', 'a')], head: [tag('a', 'asm-1-29'), ns('x', 'a')], want: ['x a→asm-1-29 a→a'] },
    { name: 'only MutatingWebhookConfigurations named istio-revision-tag-* are tags', base: [other('ValidatingWebhookConfiguration', 'istio-revision-tag-a', 'asm-1-28'), other('MutatingWebhookConfiguration', 'istio-sidecar-injector-a', 'asm-1-28'), ns('x', 'a')], head: [tag('a', 'asm-1-29'), ns('x', 'a')], want: ['x a→asm-1-29 a→a'] },
    { name: 'a v1 object of another kind with the label is not a namespace', base: [{ apiVersion: 'v1', kind: 'Service', metadata: { name: 'x', labels: { 'istio.io/rev': 'asm-1-28' } } }], head: [{ apiVersion: 'v1', kind: 'Service', metadata: { name: 'x', labels: { 'istio.io/rev': 'asm-1-29' } } }], want: [] },
    { name: 'a Namespace of another API group is not a namespace', base: [{ ...ns('x', 'asm-1-28'), apiVersion: 'example.io/v1' }], head: [{ ...ns('x', 'asm-1-29'), apiVersion: 'example.io/v1' }], want: [] },
    { name: 'objects without metadata are skipped', base: [{ apiVersion: 'v1', kind: 'ConfigMap' }, { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration' }, ns('x', 'asm-1-28')], head: [{ apiVersion: 'v1', kind: 'Namespace' }, ns('x', 'asm-1-29')], want: ['x asm-1-28→asm-1-29 asm-1-28→asm-1-29'] },
    { name: 'a label that YAML read as a number is compared as text', base: [numbered('x', 128)], head: [numbered('x', 129)], want: ['x 128→129 128→129'] },
    { name: 'a null label is no label', base: [numbered('x', null)], head: [ns('x', 'asm-1-29')], want: [] },
    { name: 'sorted by namespace, whatever the input order', base: [ns('c', 'r1'), ns('a', 'r1'), ns('d', 'r1'), ns('b', 'r1')], head: [ns('b', 'r2'), ns('d', 'r2'), ns('a', 'r2'), ns('c', 'r2')], want: ['a r1→r2 r1→r2', 'b r1→r2 r1→r2', 'c r1→r2 r1→r2', 'd r1→r2 r1→r2'] },
    { name: 'a tag webhook named with its namespace resolves by its istio.io/tag label', base: [suffixed('a', 'asm-1-28'), ns('x', 'a')], head: [suffixed('a', 'asm-1-29'), ns('x', 'a')], want: ['x asm-1-28→asm-1-29 a→a'] },
    { name: 'sorted by namespace', base: [tag('a', 'asm-1-28'), ns('b2', 'a'), ns('a1', 'a')], head: [tag('a', 'asm-1-29'), ns('b2', 'a'), ns('a1', 'a')], want: ['a1 asm-1-28→asm-1-29 a→a', 'b2 asm-1-28→asm-1-29 a→a'] },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(findNamespaceMoves(c.base, c.head).map((m) => `${m.namespace} ${m.from}→${m.to} ${m.labelFrom}→${m.labelTo}`), c.want));
  }
});
