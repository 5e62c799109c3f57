/**
 * Test helpers: how much work a backtracking regular-expression engine does on an input,
 * counted instead of timed (the project forbids timed assertions). V8's irregexp is a
 * backtracking engine: a pattern whose quantified parts can split the same text in many ways
 * (`[a\s]*\s*$`, `[ \t]*,?[ \t]*$`, an unanchored `-+$`) makes it try each split, so a 1 MB
 * value can cost hours. This module parses the subset of the syntax Meshplane's patterns use and
 * runs the same depth-first search V8 runs (leftmost start, greedy quantifiers, alternatives in
 * order), counting one step per node it tries. The count is not V8's, but it grows the same way:
 * linearly for a pattern with one way to match each text, quadratically or worse otherwise.
 */

type Node =
  | { t: 'char'; test: (c: string) => boolean }
  | { t: 'bol' }
  | { t: 'eol' }
  | { t: 'group'; alts: Node[][] }
  | { t: 'look'; behind: boolean; negate: boolean; alts: Node[][] }
  | { t: 'rep'; node: Node; min: number; max: number; lazy: boolean };

const CLASS_ESCAPES: Readonly<Record<string, (c: string) => boolean>> = {
  s: (c) => /\s/.test(c),
  S: (c) => !/\s/.test(c),
  w: (c) => /\w/.test(c),
  W: (c) => !/\w/.test(c),
  d: (c) => c >= '0' && c <= '9',
  D: (c) => !(c >= '0' && c <= '9'),
};

const CONTROL_ESCAPES: Readonly<Record<string, string>> = { n: '\n', r: '\r', t: '\t', f: '\f', v: '\v', '0': '\0' };

class Parser {
  private i = 0;
  constructor(private readonly src: string) {}

  parse(): Node[][] {
    const alts = this.alternatives();
    if (this.i !== this.src.length) throw new Error(`regex-steps: unexpected "${this.src[this.i]}" at ${this.i} in ${this.src}`);
    return alts;
  }

  private alternatives(): Node[][] {
    const alts = [this.sequence()];
    while (this.src[this.i] === '|') {
      this.i++;
      alts.push(this.sequence());
    }
    return alts;
  }

  private sequence(): Node[] {
    const out: Node[] = [];
    while (this.i < this.src.length && this.src[this.i] !== '|' && this.src[this.i] !== ')') out.push(this.quantified(this.atom()));
    return out;
  }

  private atom(): Node {
    const c = this.src[this.i++] as string;
    if (c === '^') return { t: 'bol' };
    if (c === '$') return { t: 'eol' };
    if (c === '.') return { t: 'char', test: (x) => x !== '\n' && x !== '\r' && x !== '\u2028' && x !== '\u2029' };
    if (c === '[') return this.charClass();
    if (c === '\\') return { t: 'char', test: this.escape() };
    if (c === '(') {
      let look: { behind: boolean; negate: boolean } | undefined;
      for (const [prefix, kind] of [['?:', undefined], ['?=', { behind: false, negate: false }], ['?!', { behind: false, negate: true }], ['?<=', { behind: true, negate: false }], ['?<!', { behind: true, negate: true }]] as const) {
        if (this.src.startsWith(prefix, this.i)) {
          this.i += prefix.length;
          look = kind;
          break;
        }
      }
      if (this.src.startsWith('?<', this.i)) this.i = this.src.indexOf('>', this.i) + 1; // a named group
      const alts = this.alternatives();
      if (this.src[this.i++] !== ')') throw new Error(`regex-steps: unclosed group in ${this.src}`);
      return look ? { t: 'look', ...look, alts } : { t: 'group', alts };
    }
    return { t: 'char', test: (x) => x === c };
  }

  /** The test of the escape after a backslash (outside or inside a class). */
  private escape(): (c: string) => boolean {
    const e = this.src[this.i++] as string;
    const cls = CLASS_ESCAPES[e];
    if (cls) return cls;
    const ch = CONTROL_ESCAPES[e] ?? e;
    return (x) => x === ch;
  }

  private charClass(): Node {
    const negate = this.src[this.i] === '^';
    if (negate) this.i++;
    const parts: Array<(c: string) => boolean> = [];
    while (this.src[this.i] !== ']') {
      if (this.i >= this.src.length) throw new Error(`regex-steps: unclosed class in ${this.src}`);
      const single = this.classChar();
      if (typeof single !== 'string') {
        parts.push(single);
        continue;
      }
      if (this.src[this.i] === '-' && this.src[this.i + 1] !== ']') {
        this.i++;
        const hi = this.classChar();
        if (typeof hi !== 'string') throw new Error(`regex-steps: a range ends in a class escape in ${this.src}`);
        parts.push((x) => x >= single && x <= hi);
      } else parts.push((x) => x === single);
    }
    this.i++;
    const inClass = (x: string): boolean => parts.some((p) => p(x));
    return { t: 'char', test: negate ? (x) => !inClass(x) : inClass };
  }

  private classChar(): string | ((c: string) => boolean) {
    const c = this.src[this.i++] as string;
    if (c !== '\\') return c;
    const e = this.src[this.i] as string;
    if (CLASS_ESCAPES[e]) return this.escape();
    this.i++;
    return CONTROL_ESCAPES[e] ?? e;
  }

  private quantified(node: Node): Node {
    const c = this.src[this.i];
    let min: number;
    let max: number;
    if (c === '*' || c === '+' || c === '?') {
      this.i++;
      [min, max] = c === '*' ? [0, Infinity] : c === '+' ? [1, Infinity] : [0, 1];
    } else if (c === '{' && /^\{\d+(,\d*)?\}/.test(this.src.slice(this.i))) {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.i)) as RegExpExecArray;
      this.i += m[0].length;
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
    } else return node;
    const lazy = this.src[this.i] === '?';
    if (lazy) this.i++;
    return { t: 'rep', node, min, max, lazy };
  }
}

/** The result of one search. */
export interface RegexRun {
  matched: boolean;
  /** Nodes tried, over every start position. */
  steps: number;
}

/**
 * Searches `input` for `pattern` (flags are not supported: the patterns under test use none that
 * change matching, `u` aside) the way a backtracking engine does, and counts the nodes it tries.
 */
export function countRegexSteps(pattern: string, input: string): RegexRun {
  const alts = new Parser(pattern).parse();
  let steps = 0;
  const seq = (nodes: Node[], i: number, pos: number, k: (p: number) => boolean): boolean => {
    if (i === nodes.length) return k(pos);
    return one(nodes[i] as Node, pos, (p) => seq(nodes, i + 1, p, k));
  };
  const anyAlt = (list: Node[][], pos: number, k: (p: number) => boolean): boolean => list.some((nodes) => seq(nodes, 0, pos, k));
  const one = (node: Node, pos: number, k: (p: number) => boolean): boolean => {
    steps++;
    switch (node.t) {
      case 'char':
        return pos < input.length && node.test(input[pos] as string) && k(pos + 1);
      case 'bol':
        return pos === 0 && k(pos);
      case 'eol':
        return pos === input.length && k(pos);
      case 'group':
        return anyAlt(node.alts, pos, k);
      case 'look': {
        let found: boolean;
        if (node.behind) {
          // Only one-character bodies are needed (and supported): test the character before pos.
          const body = node.alts.length === 1 && node.alts[0]?.length === 1 ? node.alts[0][0] : undefined;
          if (body?.t !== 'char') throw new Error('regex-steps: lookbehind supports one character only');
          found = pos > 0 && body.test(input[pos - 1] as string);
        } else found = anyAlt(node.alts, pos, () => true);
        return found !== node.negate && k(pos);
      }
      case 'rep': {
        const more = (count: number, p: number): boolean => {
          const again = (): boolean => count < node.max && one(node.node, p, (q) => q !== p && more(count + 1, q));
          const stop = (): boolean => count >= node.min && k(p);
          return node.lazy ? stop() || again() : again() || stop();
        };
        return more(0, pos);
      }
    }
  };
  for (let start = 0; start <= input.length; start++) {
    if (anyAlt(alts, start, () => true)) return { matched: true, steps };
  }
  return { matched: false, steps };
}

/**
 * How the step count grows when the input doubles: steps on `make(2n)` divided by steps on
 * `make(n)`. About 2 for a linear search, about 4 for a quadratic one.
 */
export function stepGrowth(pattern: string, make: (n: number) => string, n = 200): number {
  return countRegexSteps(pattern, make(2 * n)).steps / countRegexSteps(pattern, make(n)).steps;
}
