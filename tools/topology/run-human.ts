/**
 * Runs @vladmandic/human (wasm backend, models shipped in node_modules) on the sample photos and returns what
 * the topology tools need: the library's triangulation and UV map, and per face the 468-point mesh and its
 * named annotations. Tool-only I/O; nothing here is used at service run time.
 */
import path from 'node:path';
import { createHuman, humanTensor } from '../human/create-human';

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
export const SAMPLE_PHOTOS = [1, 2, 3, 4, 5, 6].map((n) => path.join(ROOT, `node_modules/@vladmandic/face-api/demo/sample${n}.jpg`));

export async function runHuman(photos: string[] = SAMPLE_PHOTOS): Promise<HumanDump> {
  const human = await createHuman({
    modelBasePath: `file://${path.join(ROOT, 'node_modules/@vladmandic/human/models')}/`,
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
  });
  const faces: HumanFace[] = [];
  for (const photo of photos) {
    const tensor = await humanTensor(human, photo);
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
