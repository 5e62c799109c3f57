/**
 * Escaping for the terminal sink. File names, object names, YAML values and exception reasons
 * come from the user's repository; printed raw, a newline in one of them forges a whole stderr
 * line (`error[...]`, `fix:`), a carriage return overwrites the line before it, and an escape
 * sequence recolours, hides or retitles the terminal. Every such string is passed through
 * {@link terminalSafe} where it is interpolated, so what is printed is one visible line.
 */

/**
 * Characters that are never printed raw. Why these: C0 controls (U+0000–U+001F, tab included,
 * so columns cannot be forged) and DEL; C1 controls (U+0080–U+009F, which some terminals take as
 * escape sequences); the Unicode line and paragraph separators; and the bidirectional overrides
 * and isolates that reorder what a reader sees (U+202A–U+202E, U+2066–U+2069, "Trojan Source").
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** `text` with every unsafe character written as a visible escape (`\n`, `\r`, `\t`, `\u001b`, …). */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, (c) => NAMED[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
