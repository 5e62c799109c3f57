/**
 * A small, strict XML reader for tests (elements, attributes, text, the five predefined entities
 * and character references; comments and the XML declaration are skipped), for reading the
 * content of a report; validation against the JUnit XSD is xmllint's job (test/schemas/report-contracts.ts).
 */

/** A parsed element. */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (whole, ref: string) => {
    if (ref.startsWith('#x')) return String.fromCodePoint(parseInt(ref.slice(2), 16));
    if (ref.startsWith('#')) return String.fromCodePoint(Number(ref.slice(1)));
    const v = ENTITIES[ref];
    if (v === undefined) throw new Error(`unknown entity ${whole}`);
    return v;
  });
}

/** Parses a document; throws on anything malformed (unclosed tags, bad attributes, stray `&` or `<`). */
export function parseXml(xml: string): XmlElement {
  let i = 0;
  const skipMisc = (): void => {
    for (;;) {
      const rest = xml.slice(i);
      const ws = /^\s*/.exec(rest)?.[0].length ?? 0;
      i += ws;
      if (xml.startsWith('<?', i)) i = xml.indexOf('?>', i) + 2;
      else if (xml.startsWith('<!--', i)) i = xml.indexOf('-->', i) + 3;
      else return;
      if (i < 2) throw new Error('unterminated declaration or comment');
    }
  };
  const element = (): XmlElement => {
    const open = /^<([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.:-]*="[^"<]*")*)\s*(\/?)>/.exec(xml.slice(i));
    if (!open) throw new Error(`expected an element at offset ${i}: ${xml.slice(i, i + 40)}`);
    i += open[0].length;
    const attributes: Record<string, string> = {};
    for (const m of (open[2] ?? '').matchAll(/([A-Za-z_][\w.:-]*)="([^"<]*)"/g)) {
      if (m[1]! in attributes) throw new Error(`duplicate attribute ${m[1]}`);
      attributes[m[1]!] = decode(m[2]!);
    }
    const el: XmlElement = { name: open[1]!, attributes, children: [], text: '' };
    if (open[3] === '/') return el;
    for (;;) {
      const lt = xml.indexOf('<', i);
      if (lt < 0) throw new Error(`unclosed <${el.name}>`);
      const chunk = xml.slice(i, lt);
      if (/&(?!(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);)/.test(chunk)) throw new Error(`stray & in <${el.name}>`);
      el.text += decode(chunk);
      i = lt;
      if (xml.startsWith('<!--', i)) i = xml.indexOf('-->', i) + 3;
      else if (xml.startsWith(`</${el.name}>`, i)) {
        i += el.name.length + 3;
        return el;
      } else if (xml.startsWith('</', i)) throw new Error(`mismatched close tag at offset ${i} inside <${el.name}>`);
      else el.children.push(element());
    }
  };
  skipMisc();
  const root = element();
  skipMisc();
  if (i !== xml.length) throw new Error(`content after the root element at offset ${i}`);
  return root;
}
