/**
 * A RuleContext built from objects in memory, for rule unit tests that need no rendering: the
 * Kubernetes minor, the API catalog entries and the objects (all from the source file a.yaml).
 * `locate` returns `<object name>:<field path>` as the file, so a test sees which field a
 * finding points at.
 */
import type { KubeApiEntry } from '../../src/catalog/guardrails.js';
import type { KubeObject, LocatedObject, SourcePosition } from '../../src/core/types.js';
import type { RuleContext } from '../../src/rules/types.js';

/** The context; only the fields the API rules read are filled. */
export function memoryContext(minor: number, kubernetesApis: KubeApiEntry[], objects: KubeObject[]): RuleContext {
  const located = objects.map((object): LocatedObject => ({ object, origin: { kind: 'source', file: 'a.yaml', line: 1, column: 1 } }) as LocatedObject);
  return {
    render: { input: { kubernetes: { minor } } },
    data: { kubernetesApis },
    objects: located,
    locate: (o: LocatedObject, path: Array<string | number>): SourcePosition => ({ file: `${String(o.object.metadata?.name)}:${path.join('.')}`, line: 1, column: 1 }),
  } as unknown as RuleContext;
}

/** A namespaced object with only apiVersion, kind and name. */
export const memoryObject = (apiVersion: string, kind: string, name: string): KubeObject => ({ apiVersion, kind, metadata: { name, namespace: 'ns' } }) as KubeObject;
