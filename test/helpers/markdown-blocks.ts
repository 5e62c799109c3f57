/**
 * The fenced YAML code blocks of a Markdown text, for tests that hold what the docs show to what
 * Meshplane ships. A fence may be indented: CommonMark lets a top-level fence start up to three
 * spaces in, and a block inside a list item starts at the item's content column (a numbered step
 * of a how-to), so the block's lines are taken out from under the fence's own indentation.
 */

/** One fenced block: its text (dedented) and the 1-based line of its opening fence. */
export interface MarkdownBlock {
  line: number;
  text: string;
}

/** Every ```yaml / ```yml block of `markdown`, in order; a block whose fence is never closed is left out. */
export function yamlBlocks(markdown: string): MarkdownBlock[] {
  const lines = markdown.split('\n');
  const out: MarkdownBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^( *)(`{3,}|~{3,})ya?ml\s*$/.exec(lines[i] as string);
    if (!open) continue;
    const indent = (open[1] as string).length;
    const fence = open[2] as string;
    const close = new RegExp(`^ {0,${indent + 3}}${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`);
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !close.test(lines[j] as string); j++) body.push(lines[j] as string);
    if (j === lines.length) break;
    const strip = new RegExp(`^ {0,${indent}}`);
    out.push({ line: i + 1, text: `${body.map((l) => l.replace(strip, '')).join('\n')}\n` });
    i = j;
  }
  return out;
}
