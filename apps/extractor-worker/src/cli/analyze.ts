/**
 * `npm run analyze -- <photo> [--face N | --all] [--json] [--save DIR]`: runs FORD on a photo and prints a
 * summary of each face's representation (or the whole representation as JSON); --save writes each
 * representation as a .safetensors file. Without a photo it analyses the embedded default sample.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { encodeRepresentation, isFacexError, type FaceRepresentation } from '@facex/contracts';
import { FaceAnalyzer } from '@facex/analysis';
import { summarizeRepresentation } from './representation-summary';

const DEFAULT_PHOTO = require.resolve('@vladmandic/face-api/demo/sample1.jpg');

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { face: { type: 'string' }, all: { type: 'boolean' }, json: { type: 'boolean' }, save: { type: 'string' } },
  });
  const photo = positionals[0] ?? DEFAULT_PHOTO;
  const analyzer = await FaceAnalyzer.open({ workers: 1 });
  try {
    const bytes = await readFile(photo);
    const started = performance.now();
    const faces: FaceRepresentation[] = values.all ? await analyzer.analyzeAll(bytes) : [await analyzer.analyze(bytes, Number(values.face ?? 0))];
    const elapsed = performance.now() - started;
    if (values.json) process.stdout.write(`${JSON.stringify(faces, jsonTypedArrays, 1)}\n`);
    else {
      console.log(`${photo}: ${faces[0].faceCount} face(s), analysed in ${elapsed.toFixed(0)} ms`);
      for (const face of faces) console.log(summarizeRepresentation(face));
    }
    if (values.save) {
      await mkdir(values.save, { recursive: true });
      for (const face of faces) {
        const file = join(values.save, `${basename(photo).replace(/\.[^.]+$/, '')}.face${face.faceIndex}.safetensors`);
        await writeFile(file, encodeRepresentation(face));
        console.log(`wrote ${file}`);
      }
    }
  } catch (error) {
    if (!isFacexError(error)) throw error;
    console.error(`${error.title}: ${error.message}`);
    process.exitCode = 2;
  } finally {
    await analyzer.close();
  }
}

function jsonTypedArrays(_key: string, value: unknown): unknown {
  return ArrayBuffer.isView(value) ? Array.from(value as Float32Array) : value;
}

void main();
