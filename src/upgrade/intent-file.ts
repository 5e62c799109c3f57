/**
 * The file that holds the mesh intent, found the way the render pipeline finds it (the one
 * ServiceMesh document in the source tree), read as raw text for in-place editing, and written
 * back. This module and the CLI shell are the only I/O of the upgrade commands.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { findIntent, loadIntentValidator, validateIntent } from '../pipeline/intent.js';
import { parseSourceFiles, positionOf, readSourceTree, type ParsedDocument } from '../pipeline/load.js';
import type { ServiceMesh } from '../intent/types.js';
import type { Locate } from './lifecycle.js';

/** The intent's file: where it is, its text, and the validated intent. */
export interface IntentFile {
  /** Path relative to the source folder, as reported in errors. */
  file: string;
  absolutePath: string;
  /** The file's text without a leading byte-order mark (the offsets the parser reports). */
  text: string;
  bom: boolean;
  /** Number of the intent document in the file's stream (a file may hold several). */
  docIndex: number;
  document: ParsedDocument;
  /** The intent as written (schema-valid, no defaults). */
  intent: ServiceMesh;
  locate: Locate;
}

/** Finds, reads and validates the intent below `dir`. Errors name the file and line. */
export async function loadIntentFile(dir: string): Promise<IntentFile> {
  const files = await readSourceTree(dir);
  const documents = parseSourceFiles(files);
  await loadIntentValidator();
  const found = validateIntent(findIntent(documents));
  const document = found.document;
  const absolutePath = path.join(dir, ...document.file.split('/'));
  const raw = await readFile(absolutePath, 'utf8');
  const bom = raw.charCodeAt(0) === 0xfeff;
  return {
    file: document.file,
    absolutePath,
    text: bom ? raw.slice(1) : raw,
    bom,
    docIndex: document.index,
    document,
    intent: found.intent,
    locate: (fieldPath) => positionOf(document, fieldPath),
  };
}

/** The bytes to write for new text (the byte-order mark is kept when the file had one). */
export function fileContents(f: IntentFile, text: string): string {
  return f.bom ? `\ufeff${text}` : text;
}

/** Writes new text over the intent's file (in place: the file keeps its mode and owner). */
export async function writeIntentFile(f: IntentFile, text: string): Promise<void> {
  await writeFile(f.absolutePath, fileContents(f, text), 'utf8');
}
