/** `meshplane images [dir]`: every image the mesh in a folder needs, for mirroring (docs/images.md). */
import path from 'node:path';
import { clockFrom } from '../../core/check-inputs.js';
import { render } from '../../core/render.js';
import { formatImages, IMAGE_FORMATS } from '../../images/format.js';
import { meshImages } from '../../images/list.js';
import { withCopySources } from '../../images/mirror.js';
import { readSourceTree } from '../../pipeline/load.js';
import { choice, parseFlags } from '../args.js';
import type { Command } from '../command.js';
import { printNotices, reportError, type Io } from '../io.js';

/** The flags of `meshplane images` (the declarative form the command table reads). */
export const IMAGES_FLAGS = {
  output: { type: 'string', short: 'o', default: 'text', description: 'text (one image per line, sorted) or json (image, purpose, source objects, and with spec.images.registry the default image to copy from)' },
  'kube-version': { type: 'string', description: 'target Kubernetes version when mesh.yaml sets none (e.g. 1.32)', env: 'KUBE_VERSION' },
  now: { type: 'string', description: 'the date policy exceptions are judged at (YYYY-MM-DD); default today' },
  verbose: { type: 'boolean', default: false, description: 'print info notices on stderr too' },
} as const;

/** IMAGES_FLAGS as node:util parseArgs options (without the help-only keys). */
function parseOptions(): Parameters<typeof parseFlags>[2] {
  return Object.fromEntries(Object.entries(IMAGES_FLAGS).map(([name, f]) => [name, 'short' in f ? { type: f.type, short: f.short } : { type: f.type }]));
}

/** The images command. */
export const imagesCommand: Command = {
  name: 'images',
  summary: 'list every image the mesh needs (istiod, proxy, CNI agent, preflight hook), for mirroring',
  usage: 'meshplane images [dir] [-o text|json] [--kube-version 1.32] [--now YYYY-MM-DD] [--verbose]',
  examples: ['meshplane images examples/full', 'meshplane images . -o json', 'meshplane images . | xargs -I{} echo copy {}'],
  async run(argv: string[], io: Io): Promise<number> {
    try {
      const { values, positionals } = parseFlags('images', argv, parseOptions());
      const output = choice('images', 'output', values.output, IMAGE_FORMATS, 'text');
      const dir = path.resolve(io.cwd, positionals[0] ?? '.');
      const files = await readSourceTree(dir);
      const env = { KUBE_VERSION: io.env.KUBE_VERSION, kubeVersionFlag: values['kube-version'] as string | undefined, now: clockFrom('images', values.now) };
      const result = await render({ files, env });
      printNotices(io, result.notices, values.verbose === true);
      let images = meshImages(result);
      // A mirrored mesh: render it once more without the override to say where each image comes from.
      if (output === 'json' && result.intent.spec.images?.registry !== undefined) {
        const defaults = await render({ files, env, overrides: [{ source: 'meshplane images (the default registries)', path: ['spec', 'images', 'registry'], value: undefined }] });
        images = withCopySources(images, meshImages(defaults));
      }
      io.stdout(formatImages(images, output));
      return 0;
    } catch (err) {
      return reportError(io, err);
    }
  },
};
