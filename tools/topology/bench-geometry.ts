/**
 * Times the per-face geometry of FORD on a real mesh (Human on sample1.jpg, first face) with a full-resolution
 * person mask: alignment, head fit, expression, gaze, lighting and region masks.
 * Run: npx tsx tools/topology/bench-geometry.ts
 */
import path from 'node:path';
import sharp from 'sharp';
import { alignmentFromMesh } from '../../libs/analysis/src/geometry/alignment';
import { expressionDescriptor } from '../../libs/analysis/src/geometry/expression';
import { gazeOfBothEyes } from '../../libs/analysis/src/geometry/gaze';
import { fitLighting } from '../../libs/analysis/src/geometry/lighting';
import { fitHead } from '../../libs/analysis/src/geometry/pose';
import { regionMasks } from '../../libs/analysis/src/geometry/regions';
import { runHuman, SAMPLE_PHOTOS } from './run-human';

const ITERATIONS = 200;

function time(label: string, run: () => unknown): number {
  for (let i = 0; i < 20; i++) run();
  const start = process.hrtime.bigint();
  for (let i = 0; i < ITERATIONS; i++) run();
  const ms = Number(process.hrtime.bigint() - start) / 1e6 / ITERATIONS;
  console.log(`${label.padEnd(12)} ${ms.toFixed(3)} ms`);
  return ms;
}

async function main(): Promise<void> {
  const photo = SAMPLE_PHOTOS[0];
  const dump = await runHuman([photo]);
  const face = dump.faces[0];
  const mesh = Float32Array.from(face.mesh.flat());
  const { data, info } = await sharp(photo).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const image = { data: new Uint8Array(data), width: info.width, height: info.height };
  const personMask = { data: new Float32Array(info.width * info.height).fill(0.5), width: info.width, height: info.height };
  const rightIris = face.annotations.rightEyeIris[0];
  const leftIris = face.annotations.leftEyeIris[0];
  console.log(`${path.basename(photo)} ${info.width}×${info.height}, ${ITERATIONS} iterations each`);
  const alignment = alignmentFromMesh(mesh);
  const head = fitHead(mesh);
  const total = [
    time('alignment', () => alignmentFromMesh(mesh)),
    time('head fit', () => fitHead(mesh)),
    time('expression', () => expressionDescriptor(head.canonicalMesh)),
    time('gaze', () => gazeOfBothEyes(mesh, [rightIris[0], rightIris[1]], [leftIris[0], leftIris[1]])),
    time('lighting', () => fitLighting(mesh, image)),
    time('regions', () => regionMasks({ mesh, alignment, personMask, image, yaw: head.pose.yaw })),
  ].reduce((a, b) => a + b, 0);
  console.log(`${'total'.padEnd(12)} ${total.toFixed(3)} ms; pose ${JSON.stringify(head.pose)}`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
