/**
 * `npm run bench:analysis`: FORD on the sample photos (every face: detection, mesh, iris, identity
 * embedding, person segmentation, geometry) against @vladmandic/human on its WASM backend doing the same
 * analysis, in the same run. Reports per-image latency (one image at a time) and throughput (images in
 * flight on every worker). Options: --rounds N (default 5).
 */
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { FaceAnalyzer } from '@facex/analysis';
import { samplePhoto, SAMPLE_PHOTOS } from '@facex/analysis/testing';
import { createHuman, humanTensor } from '../human/create-human';
import { describeMachine, percentile } from './stats';

interface Measurement {
  label: string;
  latencies: number[];
  imagesPerSecond: number;
  faces: number;
}

const photos = SAMPLE_PHOTOS.map(({ name }) => samplePhoto(name));

async function measure(label: string, rounds: number, analyse: (photo: Buffer) => Promise<number>, parallel: number): Promise<Measurement> {
  for (const photo of photos) await analyse(photo); // warm-up: sessions, JIT, caches
  const latencies: number[] = [];
  let faces = 0;
  for (let r = 0; r < rounds; r++) {
    for (const photo of photos) {
      const started = performance.now();
      faces += await analyse(photo);
      latencies.push(performance.now() - started);
    }
  }
  const queue = Array.from({ length: rounds }, () => photos).flat();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      for (let photo = queue.pop(); photo; photo = queue.pop()) await analyse(photo);
    }),
  );
  const imagesPerSecond = (rounds * photos.length) / ((performance.now() - started) / 1000);
  return { label, latencies, imagesPerSecond, faces: faces / rounds };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' } } });
  const rounds = Number(values.rounds);
  const cores = availableParallelism();
  const results: Measurement[] = [];

  for (const workers of [1, cores]) {
    const analyzer = await FaceAnalyzer.open({ workers });
    results.push(
      await measure(
        `FaceX FORD, ${workers} worker thread${workers > 1 ? 's' : ''}`,
        rounds,
        async (photo) => (await analyzer.analyzeAll(photo)).length,
        workers,
      ),
    );
    await analyzer.close();
  }

  const human = await createHuman({
    face: {
      enabled: true,
      detector: { rotation: true, maxDetected: 20, return: false },
      mesh: { enabled: true },
      iris: { enabled: true },
      attention: { enabled: false },
      description: { enabled: false },
      mobilefacenet: { enabled: true, modelPath: 'mobilefacenet.json' },
      emotion: { enabled: false },
      antispoof: { enabled: false },
      liveness: { enabled: false },
    },
    segmentation: { enabled: true, modelPath: 'selfie.json' },
  });
  results.push(
    await measure(
      'Human 3.3.6, WASM backend (one instance; it runs one image at a time)',
      rounds,
      async (photo) => {
        const tensor = await humanTensor(human, photo);
        const result = await human.detect(tensor);
        await human.segmentation(tensor);
        human.tf.dispose(tensor);
        return result.face.length;
      },
      1,
    ),
  );

  const baseline = results[results.length - 1];
  console.log(`Machine: ${describeMachine()}`);
  console.log(`Photos: ${photos.length} sample photos (1920 px wide, 22 faces), ${rounds} rounds\n`);
  console.log('| analysis | faces per round | p50 ms / image | p95 ms / image | images/s | throughput vs Human |');
  console.log('|---|---|---|---|---|---|');
  for (const m of results) {
    console.log(
      `| ${m.label} | ${m.faces} | ${percentile(m.latencies, 50).toFixed(0)} | ${percentile(m.latencies, 95).toFixed(0)} | ${m.imagesPerSecond.toFixed(2)} | ${(m.imagesPerSecond / baseline.imagesPerSecond).toFixed(2)}× |`,
    );
  }
}

void main();
