/**
 * @jest-environment ./libs/model-pack/src/testing/onnxruntime-jest-environment.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assembleEdit } from '@facex/assemblers';
import { recipeFromPreset } from '@facex/contracts';
import { assembledConditions, type GeneratorContext, type GeneratorOptions } from '@facex/generators';
import { pasteBack, warpMask, type RgbImage } from '@facex/imaging';
import { sourceAndTarget } from '@facex/assemblers/testing';
import { buildDiffusionPack } from '../pack/build-diffusion-pack';

import type { DiffusionPackManifest } from '../pack/manifest';
import { DiffusionGenerator } from './diffusion-generator';
import { cudaPresence } from './testing/provider-presence';

const STEPS = 4;
const { source, target } = sourceAndTarget();
const recipe = recipeFromPreset({ preset: 'face-swap', source: 0, target: 1 });
const inputs = [
  { representation: source.representation, image: source.image },
  { representation: target.representation, image: target.image },
];
const conditions = assembledConditions(recipe, inputs);
const options = (overrides: Partial<GeneratorOptions> = {}): GeneratorOptions => ({ steps: STEPS, guidance: 7.5, resolution: 256, seed: 1, ...overrides });

/** Collects progress; `failAt` makes the stage reject at that step (as when the edit is canceled). */
function progressLog(failAt?: number): { context: GeneratorContext; steps: Array<[number, number]> } {
  const steps: Array<[number, number]> = [];
  const onStep = async (step: number, total: number): Promise<void> => {
    steps.push([step, total]);
    if (step === failAt) throw new Error('edit canceled');
  };
  return { context: { onStep }, steps };
}

const noProgress: GeneratorContext = { onStep: async () => undefined };

function maxPixelDifference(a: RgbImage, b: RgbImage): number {
  let max = 0;
  for (let i = 0; i < a.data.length; i++) max = Math.max(max, Math.abs(a.data[i] - b.data[i]));
  return max;
}

function meanPixelDifference(a: RgbImage, b: RgbImage): number {
  let sum = 0;
  for (let i = 0; i < a.data.length; i++) sum += Math.abs(a.data[i] - b.data[i]);
  return sum / a.data.length;
}

/** Provider suites run where their provider can run and are skipped, opening nothing, elsewhere. */
const cuda = cudaPresence();

/** The tiny random pack every suite renders with, built into a fresh temporary directory. */
async function buildTinyPack(): Promise<{ dir: string; manifest: DiffusionPackManifest }> {
  const dir = mkdtempSync(join(tmpdir(), 'facex-diffusion-generator-'));
  // The synthetic faces carry 512-wide identity embeddings.
  const manifest = await buildDiffusionPack({ outDir: dir, size: 'tiny', seed: 5, identityWidth: source.representation.identity.length });
  return { dir, manifest };
}

describe('DiffusionGenerator (tiny random pack, CPU, worker thread)', () => {
  let work: string;
  let manifest: DiffusionPackManifest;
  let generator: DiffusionGenerator;
  /** Solo renders at seeds 1 and 2, kept for the batching comparison. */
  const solo: RgbImage[] = [];

  beforeAll(async () => {
    ({ dir: work, manifest } = await buildTinyPack());
    generator = await DiffusionGenerator.open({ packDir: work, allowRandomWeights: true, threads: 1, maxBatch: 8, maxWaitMs: 50 });
  });

  afterAll(async () => {
    await generator?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('renders a face swap from assembled conditions to a 512 px crop, one progress event per step, without blocking the event loop', async () => {
    const { context, steps } = progressLog();
    let lastTick = performance.now();
    let worstLag = 0;
    const ticker = setInterval(() => {
      const now = performance.now();
      worstLag = Math.max(worstLag, now - lastTick);
      lastTick = now;
    }, 5);
    const started = performance.now();
    const crop = await generator.render(conditions, options({ resolution: 512 }), context).finally(() => clearInterval(ticker));
    const elapsed = performance.now() - started;
    expect([crop.width, crop.height, crop.data.length]).toEqual([512, 512, 512 * 512 * 3]);
    expect(steps).toEqual([
      [1, STEPS],
      [2, STEPS],
      [3, STEPS],
      [4, STEPS],
    ]);
    expect(maxPixelDifference(crop, conditions.frameCrop)).toBeGreaterThan(0);
    // Seconds of U-Net and VAE work ran elsewhere: the timers here kept firing.
    expect(elapsed).toBeGreaterThan(500);
    expect(worstLag).toBeLessThan(Math.min(500, elapsed / 4));
    expect([generator.name, generator.modelPack]).toEqual(['diffusion', { name: manifest.name, version: manifest.version }]);
  });

  it('gives identical bytes for the same seed and different ones for another seed', async () => {
    solo.push(await generator.render(conditions, options({ seed: 1 }), noProgress));
    solo.push(await generator.render(conditions, options({ seed: 2 }), noProgress));
    const again = await generator.render(conditions, options({ seed: 1 }), noProgress);
    expect(Buffer.from(again.data).equals(Buffer.from(solo[0].data))).toBe(true);
    expect(maxPixelDifference(solo[0], solo[1])).toBeGreaterThan(0);
  });

  it('coalesces two concurrent renders into shared U-Net calls, each equal to its solo result to within 1 level', async () => {
    const before = await generator.stats();
    const [first, second] = await Promise.all([
      generator.render(conditions, options({ seed: 1 }), noProgress),
      generator.render(conditions, options({ seed: 2 }), noProgress),
    ]);
    const after = await generator.stats();
    // Alone, each guided render takes STEPS calls of 2 samples; together they fit in calls of 4.
    expect(after.samplesEvaluated - before.samplesEvaluated).toBe(2 * 2 * STEPS);
    expect(after.predictorCalls - before.predictorCalls).toBeLessThan(2 * STEPS);
    expect(after.largestCall).toBe(4);
    // Batched and single ORT kernels agree to ~1e-5 in the latents (measured here: identical bytes), which at
    // most moves a rounded pixel by one level.
    expect(maxPixelDifference(first, solo[0])).toBeLessThanOrEqual(1);
    expect(maxPixelDifference(second, solo[1])).toBeLessThanOrEqual(1);
  });

  it("samples renders posted together (a video chunk's frames) in shared U-Net calls from the first step, without waiting for them", async () => {
    // No wait for late jobs: the frames share calls because they reach the batcher together, not by luck of timing.
    const batching = await DiffusionGenerator.open({ packDir: work, allowRandomWeights: true, threads: 1, maxBatch: 4, maxWaitMs: 0, verifyHashes: false });
    try {
      const frames = [1, 2, 3, 4].map((seed) => ({ conditions, options: options({ seed, guidance: 1 }), context: noProgress }));
      const crops = await Promise.all(batching.renderAll(frames));
      // Unguided, a frame is one sample a step: 4 frames are STEPS calls of 4, not 4 × STEPS calls of 1.
      expect(await batching.stats()).toEqual({ predictorCalls: STEPS, samplesEvaluated: 4 * STEPS, largestCall: 4 });
      expect([batching.rendersPerCall(1), batching.rendersPerCall(7.5)]).toEqual([4, 2]);
      const alone = await batching.render(conditions, options({ seed: 3, guidance: 1 }), noProgress);
      expect(maxPixelDifference(crops[2], alone)).toBeLessThanOrEqual(1);
      expect(maxPixelDifference(crops[0], crops[1])).toBeGreaterThan(0);
    } finally {
      await batching.close();
    }
  });

  it('fails only the render of a batch whose options are refused; the others render', async () => {
    const [bad, good] = generator.renderAll([
      { conditions, options: options({ guidance: -1 }), context: noProgress },
      { conditions, options: options({ seed: 1 }), context: noProgress },
    ]);
    await expect(bad).rejects.toMatchObject({ code: 'invalid_recipe', details: { field: 'guidanceScale' } });
    expect(Buffer.from((await good).data).equals(Buffer.from(solo[0].data))).toBe(true);
  });

  it('leaves every frame pixel outside the fusion mask unchanged after paste-back, though the decoded crop differs there', async () => {
    const crop = await generator.render(conditions, options(), noProgress);
    const frame = target.image;
    const composed = pasteBack(frame, crop, conditions.cropToImage, conditions.fusionMask);
    const alphaInFrame = warpMask(conditions.fusionMask, conditions.cropToImage, frame.width, frame.height);
    let outside = 0,
      changedOutside = 0,
      changedInside = 0;
    for (let i = 0; i < alphaInFrame.data.length; i++) {
      const changed = [0, 1, 2].some((c) => composed.data[3 * i + c] !== frame.data[3 * i + c]);
      if (alphaInFrame.data[i] === 0) {
        outside++;
        if (changed) changedOutside++;
      } else if (changed) changedInside++;
    }
    expect(outside).toBeGreaterThan(frame.width * frame.height * 0.3);
    expect(changedOutside).toBe(0);
    expect(changedInside).toBeGreaterThan(0);
    // The VAE does not reproduce the target's pixels (least of all with random weights): the exactness comes
    // from pasting back with the fusion mask as alpha, not from the crop.
    const keptInCrop = conditions.fusionMask.data.findIndex((alpha) => alpha === 0);
    expect(Array.from(crop.data.subarray(3 * keptInCrop, 3 * keptInCrop + 3))).not.toEqual(
      Array.from(conditions.frameCrop.data.subarray(3 * keptInCrop, 3 * keptInCrop + 3)),
    );
  });

  it('stops between steps when the signal aborts, and keeps serving other renders', async () => {
    const controller = new AbortController();
    const reason = new Error('client went away');
    const steps: number[] = [];
    const context: GeneratorContext = {
      signal: controller.signal,
      onStep: async (step) => {
        steps.push(step);
        if (step === 2) controller.abort(reason);
      },
    };
    const before = await generator.stats();
    await expect(generator.render(conditions, options({ steps: 8 }), context)).rejects.toBe(reason);
    const after = await generator.stats();
    expect(steps.length).toBeLessThan(8);
    expect(after.predictorCalls - before.predictorCalls).toBeLessThan(8);
    const next = await generator.render(conditions, options({ seed: 1 }), noProgress);
    expect(Buffer.from(next.data).equals(Buffer.from(solo[0].data))).toBe(true);
  });

  it('stops when reporting a step rejects (the edit was canceled) and rejects with that error', async () => {
    const { context, steps } = progressLog(1);
    await expect(generator.render(conditions, options({ steps: 8 }), context)).rejects.toThrow('edit canceled');
    expect(steps.length).toBeLessThan(8);
  });

  it('refuses an aborted signal before doing any work', async () => {
    const before = await generator.stats();
    await expect(generator.render(conditions, options(), { ...noProgress, signal: AbortSignal.abort(new Error('already gone')) })).rejects.toThrow(
      'already gone',
    );
    expect(await generator.stats()).toEqual(before);
  });

  it('brings typed errors back from the worker, naming the field', async () => {
    await expect(generator.render(conditions, options({ guidance: -1 }), noProgress)).rejects.toMatchObject({
      code: 'invalid_recipe',
      details: { field: 'guidanceScale' },
    });
  });

  it('refuses tokens laid out for another pack, naming the field, before posting the job', async () => {
    const narrow = assembleEdit(recipeFromPreset({ preset: 'face-swap', source: 0, target: 1 }), [
      { representation: { ...source.representation, identity: source.representation.identity.subarray(0, 256) }, image: source.image },
      { representation: { ...target.representation, identity: target.representation.identity.subarray(0, 256) }, image: target.image },
    ]);
    const mismatched = { ...conditions, tokens: narrow.tokens, nullTokens: narrow.nullTokens };
    await expect(generator.render(mismatched, options(), noProgress)).rejects.toMatchObject({
      code: 'invalid_representation',
      details: { field: 'conditions.tokens.layout' },
    });
  });

  it('refuses user edits from a random-weights pack unless allowed, and loads nothing for it', async () => {
    const refusing = await DiffusionGenerator.open({ packDir: work });
    try {
      expect(refusing.modelPack).toEqual({ name: manifest.name, version: manifest.version });
      await expect(refusing.render(conditions, options(), noProgress)).rejects.toMatchObject({
        code: 'model_pack_invalid',
        details: { field: 'manifest.randomWeights' },
      });
      await expect(refusing.stats()).rejects.toMatchObject({ code: 'model_pack_invalid' });
    } finally {
      await refusing.close();
    }
  });

  // Where CUDA cannot run (no device, or no CUDA provider library), the worker reports why and serves nothing.
  (cuda.present ? it.skip : it)('fails to open on CUDA where it cannot run, with an error naming the provider', async () => {
    await expect(DiffusionGenerator.open({ packDir: work, allowRandomWeights: true, executionProvider: 'cuda', verifyHashes: false })).rejects.toMatchObject({
      code: 'unavailable',
      message: expect.stringContaining("executionProvider: 'cuda'"),
    });
  });

  it('fails renders in flight with unavailable when closed, and refuses new ones', async () => {
    let firstStep!: () => void;
    const stepped = new Promise<void>((resolve) => (firstStep = resolve));
    const inFlight = generator.render(conditions, options({ steps: 8 }), { onStep: async () => firstStep() });
    const outcome = expect(inFlight).rejects.toMatchObject({ code: 'unavailable' });
    await stepped;
    await generator.close();
    await outcome;
    await expect(generator.render(conditions, options(), noProgress)).rejects.toMatchObject({ code: 'unavailable' });
  });
});

(cuda.present ? describe : describe.skip)(`DiffusionGenerator on CUDA${cuda.present ? '' : ` (skipped: ${cuda.reason})`}`, () => {
  let work: string;
  let onCpu: DiffusionGenerator;
  let onCuda: DiffusionGenerator;

  beforeAll(async () => {
    ({ dir: work } = await buildTinyPack());
    onCpu = await DiffusionGenerator.open({ packDir: work, allowRandomWeights: true, threads: 1 });
    onCuda = await DiffusionGenerator.open({ packDir: work, allowRandomWeights: true, executionProvider: 'cuda', verifyHashes: false });
  });

  afterAll(async () => {
    await onCuda?.close();
    await onCpu?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('renders the crop the CPU renders for one seed, to within 2 levels on average, one progress event per step', async () => {
    const { context, steps } = progressLog();
    const gpuCrop = await onCuda.render(conditions, options({ seed: 3 }), context);
    const cpuCrop = await onCpu.render(conditions, options({ seed: 3 }), noProgress);
    expect([gpuCrop.width, gpuCrop.height]).toEqual([512, 512]);
    expect(steps).toEqual([
      [1, STEPS],
      [2, STEPS],
      [3, STEPS],
      [4, STEPS],
    ]);
    // GPU kernels sum in other orders (and may use TF32 matmuls): close, not bit-equal.
    expect(meanPixelDifference(gpuCrop, cpuCrop)).toBeLessThan(2);
    expect((await onCuda.stats()).samplesEvaluated).toBe(2 * STEPS);
  });
});
