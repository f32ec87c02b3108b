/**
 * The photos the face bank is built from: the group photos @vladmandic/face-api ships in its demo folder
 * (22 faces; sha256 pinned here, so an altered package refuses to build), and, when the operator names one,
 * every image in a folder of their own. The other face pictures installed packages ship were judged unusable:
 * @vladmandic/human's `samples.jpg` and `screenshot-*.jpg` are collages with boxes and text drawn over the faces,
 * and their faces are about 90 px wide, too small to lend detail to a 512 px crop.
 */
import { readdir, readFile } from 'node:fs/promises';
import { dirname, extname, join } from 'node:path';
import { FacexError } from '@facex/contracts';
import { sha256Hex } from '@facex/model-pack';
import type { BankPhoto } from './manifest';

export interface PhotoSource extends BankPhoto {
  bytes: Buffer;
}

interface PinnedPhoto {
  /** Relative to the package's folder. */
  path: string;
  sha256: string;
}

const PACKAGE = '@vladmandic/face-api';
const PACKAGE_LICENCE = '@vladmandic/face-api is MIT licensed (Copyright (c) Vladimir Mandic); demo photos shipped with the package';
const PINNED: readonly PinnedPhoto[] = [
  { path: 'demo/sample1.jpg', sha256: '8ecae4b267b2d3169e06e00c7dee97097aa2a94635d45216f7732a5f4943cb51' },
  { path: 'demo/sample2.jpg', sha256: '7d2b60ae6f13bf30f422e04df87451081a02c83de469056f25afb44b7000c691' },
  { path: 'demo/sample3.jpg', sha256: '8eb081c9efb14370fa94d9feab9e5fbeafd19a627491853a80c2bf67f7ffa936' },
  { path: 'demo/sample4.jpg', sha256: '729efa5923061d40eb4ed5f267a18cc7b8ba6f852bb2757b16d8b7e4937476fc' },
  { path: 'demo/sample5.jpg', sha256: '6d45095ebb182d8f975c0790e0e4eefd86fbb40609cf4b271776d92e12662938' },
  { path: 'demo/sample6.jpg', sha256: '9baad80f9d5e306fb9b8c0913d44445f1e95848df317530efb03d0934c57ba87' },
];

/** Image files an operator folder may hold (what the FORD decoder reads). */
const PHOTO_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png', '.webp', '.tif', '.tiff', '.avif']);

/** The package photos, each checked against its pinned hash. */
export async function packagePhotos(): Promise<PhotoSource[]> {
  const root = dirname(require.resolve(`${PACKAGE}/package.json`));
  return Promise.all(
    PINNED.map(async ({ path, sha256 }) => {
      const file = join(root, path);
      const bytes = await readFile(file).catch(() => {
        throw new FacexError('model_pack_invalid', `face bank photo ${file} is missing (is ${PACKAGE} installed?)`, { file });
      });
      const actual = sha256Hex(bytes);
      if (actual !== sha256) {
        throw new FacexError(
          'model_pack_invalid',
          `face bank photo ${file} has sha256 ${actual}, but ${sha256} is pinned in libs/face-bank/src/bank-photos.ts`,
          { file },
        );
      }
      return { label: `${PACKAGE}/${path}`, sha256, origin: 'package' as const, licence: PACKAGE_LICENCE, bytes };
    }),
  );
}

/** Every image directly in `folder`, by file name; the operator answers for their rights to use them. */
export async function operatorPhotos(folder: string): Promise<PhotoSource[]> {
  const entries = await readdir(folder, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    throw new FacexError('model_pack_invalid', `face bank photo folder ${folder} cannot be read (${error.code ?? error.message})`, { file: folder });
  });
  const names = entries
    .filter((entry) => entry.isFile() && PHOTO_EXTENSIONS.has(extname(entry.name).toLowerCase()))
    .map((entry) => entry.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const bytes = await readFile(join(folder, name));
      return { label: `operator/${name}`, sha256: sha256Hex(bytes), origin: 'operator' as const, licence: 'provided by the operator', bytes };
    }),
  );
}

/**
 * The bank's photos: the package's (unless left out), then the operator folder's when one is named; a photo
 * whose bytes are already in the bank is not added again (its faces would be the same donors).
 */
export async function bankPhotos(sources: { operatorFolder?: string; packagePhotos?: boolean } = {}): Promise<PhotoSource[]> {
  const all = [
    ...(sources.packagePhotos === false ? [] : await packagePhotos()),
    ...(sources.operatorFolder ? await operatorPhotos(sources.operatorFolder) : []),
  ];
  const seen = new Set<string>();
  return all.filter((photo) => !seen.has(photo.sha256) && seen.add(photo.sha256));
}
