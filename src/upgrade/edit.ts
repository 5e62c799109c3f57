/**
 * Applies an upgrade {@link Move} to mesh.yaml's text, changing only the lines the move is about.
 * The yaml Document API finds the nodes (with their source ranges); the edits are then spliced
 * into the original text, because re-printing the document (`doc.toString()`) would normalise
 * spacing, flow-collection padding and comment placement on every line. Everything outside the
 * spliced ranges — comments, other documents, odd spacing, line endings, quoting — stays byte for
 * byte. The result is re-parsed and compared with the expected intent before it is returned.
 */
import { isDeepStrictEqual } from 'node:util';
import { isMap, isScalar, isSeq, type Document, type Scalar, type YAMLSeq } from 'yaml';
import { parseYamlStream } from '../core/yaml-parse.js';
import { MeshplaneError } from '../core/errors.js';
import type { Move } from './lifecycle.js';

/** Replace `text.slice(start, end)` with `text`. */
interface Splice {
  start: number;
  end: number;
  text: string;
}

/**
 * Returns the new text of `file` (its text and the number of the intent document in its stream).
 * Throws an `upgrade-refused` error, pointing at the file, when the edit cannot be made safely.
 */
export function applyMoveToText(file: string, text: string, docIndex: number, move: Move): string {
  const doc = parseStream(text)[docIndex];
  const where = { file, line: 1, column: 1 };
  try {
    if (!doc) throw new EditProblem(`the file has no document number ${docIndex}`);
    const seq = revisionsNode(doc);
    Object.assign(where, positionAt(text, seq.range?.[0] ?? 0));
    const splices = [...revisionSplices(text, seq, move), ...tagSplices(doc, move)];
    const out = applySplices(text, splices);
    verify(out, docIndex, doc, move);
    return out;
  } catch (err) {
    if (!(err instanceof EditProblem)) throw err;
    throw new MeshplaneError('upgrade-refused', `${file} cannot be edited in place: ${err.message}`, [{ where, message: 'the file was left unchanged', hint: 'make the change by hand (spec.istio.revisions and spec.tags), or write the revisions as a plain list such as [asm-1-27]' }]);
  }
}

/** A reason the in-place edit is not safe; turned into a MeshplaneError with the file position. */
class EditProblem extends Error {}

function positionAt(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

function parseStream(text: string): Document.Parsed[] {
  return parseYamlStream(text, { strict: true });
}

function revisionsNode(doc: Document.Parsed): YAMLSeq<Scalar> {
  const seq = doc.getIn(['spec', 'istio', 'revisions'], true);
  if (!isSeq(seq) || !seq.items.every((i) => isScalar(i) && i.range)) throw cannotEdit('spec.istio.revisions is not a plain list of revision names');
  return seq as YAMLSeq<Scalar>;
}

function revisionSplices(text: string, seq: YAMLSeq<Scalar>, move: Move): Splice[] {
  const values = seq.items.map((i) => String(i.value));
  if (!isDeepStrictEqual(values, move.before)) throw cannotEdit(`spec.istio.revisions reads [${values.join(', ')}], not [${move.before.join(', ')}]`);
  // `advance` moves a wave's tag only: the revision list stays as it is.
  if (move.verb === 'advance') return [];
  const flow = text[seq.range?.[0] ?? 0] === '[';
  if (move.verb === 'start') {
    const added = move.after[move.after.length - 1] as string;
    return [flow ? appendFlowItem(seq, added) : appendBlockItem(text, seq, added)];
  }
  const index = values.findIndex((v) => !move.after.includes(v));
  if (!flow) return [removeBlockItem(text, seq, index)];
  return [onOwnLine(text, seq.items[index] as Scalar) ? removeLines(text, seq.items[index] as Scalar) : removeFlowItem(seq, index)];
}

function tagSplices(doc: Document.Parsed, move: Move): Splice[] {
  if (move.tagMoves.length === 0) return [];
  const tags = doc.getIn(['spec', 'tags'], true);
  if (!isMap(tags)) throw cannotEdit('spec.tags is not a mapping');
  return move.tagMoves.map((m) => {
    const pair = tags.items.find((p) => isScalar(p.key) && p.key.value === m.tag);
    const value = pair?.value;
    if (!isScalar(value) || !value.range) throw cannotEdit(`spec.tags.${m.tag} is not a plain value`);
    return { start: value.range[0], end: value.range[1], text: scalarLike(value, m.to) };
  });
}

/** Writes `value` in the quoting style of `like` (plain, 'single' or "double"). */
function scalarLike(like: Scalar, value: string): string {
  if (like.type === 'QUOTE_DOUBLE') return JSON.stringify(value);
  if (like.type === 'QUOTE_SINGLE') return `'${value}'`;
  if (like.type === 'PLAIN') return value;
  throw cannotEdit(`a ${String(like.type)} scalar cannot be edited in place`);
}

function appendFlowItem(seq: YAMLSeq<Scalar>, value: string): Splice {
  const last = seq.items[seq.items.length - 1] as Scalar;
  const at = (last.range as [number, number, number])[1];
  return { start: at, end: at, text: `, ${scalarLike(last, value)}` };
}

function removeFlowItem(seq: YAMLSeq<Scalar>, index: number): Splice {
  const range = (i: number): [number, number, number] => (seq.items[i] as Scalar).range as [number, number, number];
  if (index === 0) return { start: range(0)[0], end: range(1)[0], text: '' };
  return { start: range(index - 1)[1], end: range(index)[1], text: '' };
}

function appendBlockItem(text: string, seq: YAMLSeq<Scalar>, value: string): Splice {
  const last = seq.items[seq.items.length - 1] as Scalar;
  const [start, end] = last.range as [number, number, number];
  const prefix = itemPrefix(text, start);
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lineEnd = text.indexOf('\n', end);
  const line = `${prefix}${scalarLike(last, value)}`;
  if (lineEnd === -1) return { start: text.length, end: text.length, text: `${eol}${line}` };
  return { start: lineEnd + 1, end: lineEnd + 1, text: `${line}${eol}` };
}

function removeBlockItem(text: string, seq: YAMLSeq<Scalar>, index: number): Splice {
  const item = seq.items[index] as Scalar;
  itemPrefix(text, (item.range as [number, number, number])[0]);
  return removeLines(text, item);
}

/**
 * What may follow a flow-list item on its own line: blanks, at most one comma and blanks, a
 * comment, a CR. Why not `[ \t]*,?[ \t]*`: without a comma both blank runs can share the
 * same blanks in every split, and a backtracking RegExp tries each before it fails on the next
 * item, quadratic in the blanks (40,000 blanks before `, asm-1-29]` took `upgrade complete` 3.7 s).
 */
export const ITEM_LINE_TAIL = /^[ \t]*(?:,[ \t]*)?(#.*)?\r?$/;

/** True when a flow-list item has its line to itself (only a comma and a comment after it). */
function onOwnLine(text: string, item: Scalar): boolean {
  const [start, end] = item.range as [number, number, number];
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const lineEnd = text.indexOf('\n', end);
  return /^[ \t]*$/.test(text.slice(lineStart, start)) && ITEM_LINE_TAIL.test(text.slice(end, lineEnd === -1 ? text.length : lineEnd));
}

/** Removes the whole line(s) of an item, with their line break. */
function removeLines(text: string, item: Scalar): Splice {
  const [start, end] = item.range as [number, number, number];
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const lineEnd = text.indexOf('\n', end);
  if (lineEnd !== -1) return { start: lineStart, end: lineEnd + 1, text: '' };
  const eolStart = text[lineStart - 2] === '\r' ? lineStart - 2 : lineStart - 1;
  return { start: Math.max(eolStart, 0), end: text.length, text: '' };
}

/** The `  - ` before a block-sequence item on its own line; anything else is refused. */
function itemPrefix(text: string, itemStart: number): string {
  const lineStart = text.lastIndexOf('\n', itemStart - 1) + 1;
  const prefix = text.slice(lineStart, itemStart);
  if (!/^[ ]*-[ ]+$/.test(prefix)) throw cannotEdit('each revision of a block list must sit on its own "- " line');
  return prefix;
}

function applySplices(text: string, splices: Splice[]): string {
  let out = text;
  for (const s of [...splices].sort((a, b) => b.start - a.start)) out = out.slice(0, s.start) + s.text + out.slice(s.end);
  return out;
}

/** Re-parses the result: it must be the old intent with exactly the move applied. */
function verify(out: string, docIndex: number, before: Document.Parsed, move: Move): void {
  const expected = before.toJS() as { spec: { istio: { revisions: string[] }; tags?: Record<string, string> } };
  expected.spec.istio.revisions = [...move.after];
  for (const t of move.tagMoves) (expected.spec.tags as Record<string, string>)[t.tag] = t.to;
  const doc = parseStream(out)[docIndex];
  if (!doc || doc.errors.length > 0 || !isDeepStrictEqual(doc.toJS(), expected)) throw cannotEdit('the edited file did not read back as expected');
}

function cannotEdit(why: string): EditProblem {
  return new EditProblem(why);
}
