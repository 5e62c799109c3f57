// Reads the dynamic section of an ELF shared object: the libraries it needs (DT_NEEDED), its
// soname, and where the loader looks for them (DT_RUNPATH / DT_RPATH). Used to check that the
// jsonnet addon is relocatable (no absolute search path into the build tree) and to find the
// shared libraries the runtime tree must carry beside it.
//
// Written from the ELF-64 object file format (System V gABI, "Dynamic Section" and "Program
// Header" chapters); no readelf needed, so it also runs on an image without binutils.
// CLI: `node scripts/elf-dynamic.mjs <file>...` prints one JSON object per file.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// Why these: the tags and segment types the checks need, with their gABI numbers.
const PT_LOAD = 1;
const PT_DYNAMIC = 2;
const DT_NULL = 0;
const DT_NEEDED = 1;
const DT_STRTAB = 5;
const DT_SONAME = 14;
const DT_RPATH = 15;
const DT_RUNPATH = 29;

/** True when the bytes start with the ELF magic number. */
export function isElf(buf) {
  return buf.length >= 64 && buf[0] === 0x7f && buf[1] === 0x45 && buf[2] === 0x4c && buf[3] === 0x46;
}

/**
 * The dynamic section of a 64-bit ELF file: `{ needed: string[], soname?: string, runpath:
 * string[], rpath: string[] }` (search paths split on `:`, empty entries kept as ''). Throws on
 * anything but a 64-bit ELF file with a dynamic segment.
 */
export function readDynamic(file) {
  const buf = readFileSync(file);
  if (!isElf(buf)) throw new Error(`${file}: not an ELF file`);
  if (buf[4] !== 2) throw new Error(`${file}: only 64-bit ELF files are supported (EI_CLASS=${buf[4]})`);
  const le = buf[5] === 1;
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const u16 = (o) => view.getUint16(o, le);
  const u64 = (o) => Number(view.getBigUint64(o, le));
  const phoff = u64(0x20);
  const phentsize = u16(0x36);
  const phnum = u16(0x38);
  const segments = [];
  for (let i = 0; i < phnum; i++) {
    const o = phoff + i * phentsize;
    segments.push({ type: view.getUint32(o, le), offset: u64(o + 8), vaddr: u64(o + 16), filesz: u64(o + 32) });
  }
  const dyn = segments.find((s) => s.type === PT_DYNAMIC);
  if (!dyn) throw new Error(`${file}: no dynamic segment (statically linked?)`);
  const entries = [];
  for (let o = dyn.offset; o + 16 <= dyn.offset + dyn.filesz; o += 16) {
    const tag = u64(o);
    if (tag === DT_NULL) break;
    entries.push({ tag, val: u64(o + 8) });
  }
  const strtabAddr = entries.find((e) => e.tag === DT_STRTAB)?.val;
  const load = segments.find((s) => s.type === PT_LOAD && strtabAddr >= s.vaddr && strtabAddr < s.vaddr + s.filesz);
  if (strtabAddr === undefined || !load) throw new Error(`${file}: dynamic string table not found in a loadable segment`);
  const strtab = strtabAddr - load.vaddr + load.offset;
  const str = (off) => {
    const start = strtab + off;
    const end = buf.indexOf(0, start);
    return buf.toString('utf8', start, end);
  };
  const strings = (tag) => entries.filter((e) => e.tag === tag).map((e) => str(e.val));
  const soname = strings(DT_SONAME)[0];
  return {
    needed: strings(DT_NEEDED),
    ...(soname !== undefined ? { soname } : {}),
    runpath: strings(DT_RUNPATH).flatMap((p) => p.split(':')),
    rpath: strings(DT_RPATH).flatMap((p) => p.split(':')),
  };
}

/** The search-path entries of a dynamic section that are absolute (the loader uses them as is). */
export function absoluteSearchPaths(dynamic) {
  return [...dynamic.runpath, ...dynamic.rpath].filter((p) => p.startsWith('/'));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const files = process.argv.slice(2);
  if (files.length === 0) {
    process.stderr.write('usage: node scripts/elf-dynamic.mjs <elf file>...\n');
    process.exit(2);
  }
  for (const f of files) process.stdout.write(`${JSON.stringify({ file: f, ...readDynamic(f) })}\n`);
}
