/**
 * Plain data shapes shared by every pipeline stage. Stages take and return these values only,
 * so each one can be tested with inline data and no I/O.
 */

/** A file of the app source, as read by `load`: a POSIX path relative to the source root. */
export interface SourceFile {
  path: string;
  text: string;
}

/** A place in the source: 1-based line and column. */
export interface SourcePosition {
  file: string;
  line: number;
  column: number;
  /**
   * For a position in a stream another tool produced (`post-render`'s `<stdin>`): the file that
   * tool says the document came from, e.g. the chart template `shop/templates/web.yaml` named by
   * Helm's `# Source:` line or its postrender-filename annotation. Printed after the position
   * (`<stdin>:8:1 (shop/templates/web.yaml)`) by formatPosition (core/errors.ts); absent for files a
   * user edits directly.
   */
  template?: string;
}

/** Where an object came from: a source file position, or the template that rendered it. */
export interface Origin extends SourcePosition {
  /** `source` for manifests committed beside the intent, `rendered` for Meshplane's own output. */
  kind: 'source' | 'rendered';
  /** Path inside the document for objects unwrapped from a List, e.g. `items[2]`. */
  path?: string;
}

/** A Kubernetes object as plain JSON data. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata?: ObjectMeta;
  [field: string]: unknown;
}

/** The subset of ObjectMeta Meshplane reads. */
export interface ObjectMeta {
  name?: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  [field: string]: unknown;
}

/** An object together with where it came from. */
export interface LocatedObject {
  object: KubeObject;
  origin: Origin;
}

/** A diagnostic that is not fatal (printed on stderr, never on stdout). */
export interface Notice {
  level: 'warning' | 'info';
  message: string;
  where?: SourcePosition;
}
