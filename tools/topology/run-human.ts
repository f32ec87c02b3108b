/**
 * Runs @vladmandic/human (wasm backend, models shipped in node_modules) on the sample photos and returns what
 * the topology tools need: the library's triangulation and UV map, and per face the 468-point mesh and its
 * named annotations. Tool-only I/O; nothing here is used at service run time.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';

export interface HumanFace {
  photo: string;
  /** 468 × [x, y, z] in image pixels (the iris-refined extra points are dropped). */
  mesh: [number, number, number][];
  annotations: Record<string, [number, number, number][]>;
}

export interface HumanDump {
  triangulation: number[];
  uvMap: [number, number][];
  faces: HumanFace[];
}

const ROOT = path.resolve(__dirname, '../..');
export const SAMPLE_PHOTOS = [1, 2, 3, 4, 5, 6].map((n) =>
  path.join(ROOT, `node_modules/@vladmandic/face-api/demo/sample${n}.jpg`),
);

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

export async function runHuman(photos: string[] = SAMPLE_PHOTOS): Promise<HumanDump> {
  serveFileUrlsFromDisk();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Human } = require(path.join(ROOT, 'node_modules/@vladmandic/human/dist/human.node-wasm.js'));
  const human = new Human({
    backend: 'wasm',
    wasmPath: `${path.join(ROOT, 'node_modules/@tensorflow/tfjs-backend-wasm/dist')}/`,
    modelBasePath: `file://${path.join(ROOT, 'node_modules/@vladmandic/human/models')}/`,
    debug: false,
    face: {
      enabled: true,
      detector: { rotation: false, maxDetected: 10, return: false },
      mesh: { enabled: true },
      iris: { enabled: true },
      attention: { enabled: false },
      description: { enabled: false },
      emotion: { enabled: false },
      antispoof: { enabled: false },
      liveness: { enabled: false },
    },
    body: { enabled: false },
    hand: { enabled: false },
    object: { enabled: false },
    gesture: { enabled: false },
    segmentation: { enabled: false },
  });
  await human.load();
  const faces: HumanFace[] = [];
  for (const photo of photos) {
    const { data, info } = await sharp(photo).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const tensor = human.tf.tensor3d(new Uint8Array(data), [info.height, info.width, 3], 'int32');
    const result = await human.detect(tensor);
    human.tf.dispose(tensor);
    for (const face of result.face) {
      if (!face.mesh || face.mesh.length < 468) continue;
      faces.push({
        photo: path.basename(photo),
        mesh: face.mesh.slice(0, 468),
        annotations: face.annotations,
      });
    }
  }
  return { triangulation: [...human.faceTriangulation], uvMap: human.faceUVMap.map((p: number[]) => [p[0], p[1]]), faces };
}
