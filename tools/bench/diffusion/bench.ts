/**
 * `npm run bench:diffusion`: ms per U-Net evaluation and images/s (25 steps, guidance on) of our ONNX U-Net in
 * onnxruntime-node against an independent plain-PyTorch U-Net on the same weights, both on CPU with the same
 * number of intra-op threads (2 unless --threads).
 *
 *   npm run bench:diffusion -- [--size tiny|sd15] [--batches 1,2,4,8,16] [--resolutions 256,512] [--runs N]
 *       [--warmup N] [--attention matmul,contrib] [--steps 25] [--seed N] [--threads 2] [--profile] [--no-torch]
 *
 * PyTorch rows are skipped with a message when no python with torch is found (see findTorchPython).
 */
import { mkdtempSync, rmSync } from 'fs';
import { loadavg, tmpdir } from 'os';
import { join } from 'path';
import { parseArgs } from 'util';
import { isFacexError } from '@facex/contracts';
import { DIFFUSION_ARCHITECTURES, vaeDownsampleFactor, type PredictorDims } from '@facex/diffusion';
import { describeMachine } from '../stats';
import { IMAGES_PER_SECOND_FORMULA, benchCases, median, parseBenchOptions, timingTable, type BenchOptions, type CaseTimings } from './bench-grid';
import { createUNetSession, profileOrtEvaluation, timeOrtEvaluations } from './ort-unet';
import { profileTable } from './profile-summary';
import { buildSharedUNet, type SharedUNet } from './shared-unet-weights';
import { TorchUNetWorker, findTorchPython } from './torch-reference';

const log = (message: string): void => void process.stderr.write(`${message}\n`);
const load = (): string => loadavg().map((l) => l.toFixed(2)).join(' ');

function readOptions(): BenchOptions {
  const { values } = parseArgs({
    options: {
      size: { type: 'string' },
      batches: { type: 'string' },
      resolutions: { type: 'string' },
      warmup: { type: 'string' },
      runs: { type: 'string' },
      attention: { type: 'string' },
      steps: { type: 'string' },
      seed: { type: 'string' },
      threads: { type: 'string' },
      profile: { type: 'boolean' },
      'no-torch': { type: 'boolean' },
    },
  });
  return parseBenchOptions(values);
}

async function startTorch(options: BenchOptions, unet: SharedUNet, notes: string[]): Promise<{ worker: TorchUNetWorker; label: string } | null> {
  if (options.skipTorch) {
    notes.push('PyTorch rows skipped: --no-torch.');
    return null;
  }
  const python = findTorchPython();
  if (!python.available) {
    notes.push(`PyTorch rows skipped: ${python.reason}.`);
    return null;
  }
  const { worker, ready } = await TorchUNetWorker.start(python.python, unet.weightsPath, options.threads);
  notes.push(`PyTorch ${String(ready['torch'])} (${python.python}), torch.set_num_threads(${String(ready['threads'])}), inference_mode, fp32.`);
  return { worker, label: 'PyTorch' };
}

async function main(): Promise<void> {
  const options = readOptions();
  const architecture = DIFFUSION_ARCHITECTURES[options.size];
  const downsample = vaeDownsampleFactor(architecture.vae);
  const dir = mkdtempSync(join(tmpdir(), 'facex-bench-diffusion-'));
  const notes: string[] = [];
  try {
    log(`building the ${options.size} U-Net (seed ${options.seed}, ${options.attentions.join(' + ')} attention) and its safetensors…`);
    const started = Date.now();
    const unet = buildSharedUNet({ size: options.size, dir, seed: options.seed, attentions: options.attentions });
    log(`built ${unet.parameters.toLocaleString('en')} parameters in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const torch = await startTorch(options, unet, notes);
    const sessions = await Promise.all(options.attentions.map(async (attention) => ({ label: `ORT ${attention}`, session: await createUNetSession(unet.modelPaths[attention] as string, options.threads) })));
    const rows: CaseTimings[] = [];
    for (const { resolution, batch } of benchCases(options)) {
      const side = resolution / downsample;
      const dims: PredictorDims = { batch, height: side, width: side, tokens: unet.tokens, contextDim: unet.config.contextWidth };
      const row: CaseTimings = { resolution, batch, ms: {} };
      for (const { label, session } of sessions) row.ms[label] = median(await timeOrtEvaluations(session, dims, options.warmup, options.runs));
      if (torch) row.ms[torch.label] = median(await torch.worker.time({ batch, height: side, width: side, tokens: unet.tokens, warmup: options.warmup, runs: options.runs }));
      log(`${resolution} px batch ${batch}: ${Object.entries(row.ms).map(([k, v]) => `${k} ${(v as number).toFixed(1)} ms`).join(', ')} (load ${load()})`);
      rows.push(row);
    }
    torch?.worker.close();
    await Promise.all(sessions.map(({ session }) => session.release()));

    const runtimes = [...sessions.map((s) => s.label), ...(torch ? [torch.label] : [])];
    const command = `npm run bench:diffusion -- ${process.argv.slice(2).join(' ')}`.trim();
    console.log(`## U-Net on CPU: ${options.size} (${unet.parameters.toLocaleString('en')} parameters, random weights, FRC active), ${unet.tokens} context tokens\n`);
    console.log(`Machine: ${describeMachine()}; load average at the end ${load()}. Command: \`${command}\`.`);
    console.log(`ms/eval: median of ${options.runs} run(s) after ${options.warmup} warm-up(s), one U-Net evaluation of batch B. ORT: onnxruntime-node, CPU EP, intraOpNumThreads ${options.threads}, graph optimisation all.`);
    console.log(`${IMAGES_PER_SECOND_FORMULA}; steps = ${options.steps}.`);
    for (const note of notes) console.log(note);
    console.log(`\n${timingTable(rows, runtimes, torch?.label ?? null, options.steps, downsample)}\n`);
    if (options.profile) await printProfiles(options, unet, dir, downsample);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Per resolution, the largest batch's ORT time by op type (first attention lowering). */
async function printProfiles(options: BenchOptions, unet: SharedUNet, dir: string, downsample: number): Promise<void> {
  const attention = options.attentions[0] as BenchOptions['attentions'][number];
  const batch = Math.max(...options.batches);
  for (const resolution of options.resolutions) {
    const side = resolution / downsample;
    const dims: PredictorDims = { batch, height: side, width: side, tokens: unet.tokens, contextDim: unet.config.contextWidth };
    const times = await profileOrtEvaluation(unet.modelPaths[attention] as string, options.threads, dims, join(dir, `profile-${resolution}`));
    console.log(`### ORT ${attention} by op type: ${resolution} px, batch ${batch} (kernel time, warm-up and timed run averaged)\n\n${profileTable(times)}\n`);
  }
}

main().catch((error: unknown) => {
  console.error(isFacexError(error) ? `bench:diffusion: ${error.message}` : error);
  process.exit(isFacexError(error) ? 2 : 1);
});
