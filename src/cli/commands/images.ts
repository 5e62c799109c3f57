/** `meshplane images [dir]`: every image the mesh in a folder needs, for mirroring (docs/images.md). */
import path from 'node:path';
import { clockFrom } from '../../flows/check-inputs.js';
import { render } from '../../pipeline/render.js';
import { formatImages, IMAGE_FORMATS } from '../../images/format.js';
import { meshImages } from '../../images/list.js';
import { withCopySources } from '../../images/mirror.js';
import { readSourceTree } from '../../pipeline/load.js';
import type { Handler } from '../spec.js';
import { printNotices } from '../io.js';

/** The images handler (flags: the `images` entry of the command table). */
export const runImagesCommand: Handler = async (args, io) => {
  const { values } = args;
  const output = values.output as (typeof IMAGE_FORMATS)[number];
  const dir = path.resolve(io.cwd, (args.positionals.dir as string | undefined) ?? '.');
  const files = await readSourceTree(dir);
  const kubeVersionFlag = args.given.has('kube-version') ? (values['kube-version'] as string) : undefined;
  const env = { KUBE_VERSION: io.env.KUBE_VERSION, kubeVersionFlag, now: clockFrom('images', values.now as string | undefined) };
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
};
