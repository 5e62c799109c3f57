/**
 * The shapes every intent check shares. Apart from intent-checks.ts (the list of checks) so the
 * check modules can name them without importing the list that imports them.
 */
import type { ErrorDetail } from '../core/errors.js';
import type { Notice, SourcePosition } from '../core/types.js';
import type { ServiceMesh } from '../intent/types.js';
import type { FieldPath } from './load.js';

/** Maps a field path of the intent to its source position. */
export type Locate = (path: FieldPath) => SourcePosition;

/** What one check found. */
export interface IntentFindings {
  errors: ErrorDetail[];
  warnings: Notice[];
}

/** One intent check. */
export type IntentCheck = (intent: ServiceMesh, at: Locate) => IntentFindings;
