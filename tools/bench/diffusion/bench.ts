/**
 * `npm run bench:diffusion`: ms per U-Net evaluation and images/s (25 steps, guidance on) of our ONNX U-Net in
 * onnxruntime-node against an independent plain-PyTorch U-Net on the same weights, on the chosen ORT execution
 * provider and PyTorch device; optionally `--jobs N` guided sampling jobs through the production
 * ContinuousBatcher, together against one at a time.
 *
 *   npm run bench:diffusion -- [--size tiny|sd15] [--batches 1,2,4,8,16] [--resolutions 256,512] [--runs N]
 *       [--warmup N] [--attention matmul,contrib] [--steps 25] [--seed N] [--threads 2] [--profile] [--no-torch]
 *       [--provider cpu|webgpu|cuda] [--dtype fp32|fp16] [--torch-device cpu|cuda]
 *       [--jobs N [--jobs-only] [--max-batch 2N] [--max-wait-ms 10] [--sampler KIND] [--guidance 7.5]]
 *       [--budget-s SECONDS] [--work-dir DIR]
 *
 * Results are printed per resolution as soon as they are measured. PyTorch rows are skipped with a message
 * when no python with torch is found (see findTorchPython). tools/bench/diffusion/gpu.sh runs the GPU half.
 */
import { mkdtempSync, rmSync } from 'fs';
import { loadavg, tmpdir } from 'os';
import { join, relative } from 'path';
import { parseArgs } from 'util';
import * as ort from 'onnxruntime-node';
import { isFacexError } from '@facex/contracts';
import {
  DIFFUSION_ARCHITECTURES,
  OrtNoisePredictor,
  SafetensorsFile,
  vaeDownsampleFactor,
  writeSafetensors,
  type NoisePredictor,
  type PredictorDims,
} from '@facex/diffusion';
import { describeMachine } from '../stats';
import {
  GRAPH_PRECISION,
  IMAGES_PER_SECOND_FORMULA,
  estimateCaseMs,
  fitsBudget,
  jobsMaxBatch,
  median,
  ortLabel,
  parseBenchOptions,
  relativeMaxDifference,
  timingTable,
  torchDtype,
  torchLabel,
  type BenchOptions,
  type CaseTimings,
  type JobsOptions,
} from './bench-grid';
import { jobsTable, speedUpSentence, type JobsRun } from './jobs-report';
import { runJobs, type JobsShape } from './jobs-throughput';
import {
  GpuBufferEvaluator,
  HostOutputEvaluator,
  benchInputs,
  createOrtSession,
  profileOrtEvaluation,
  timeEvaluations,
  type UNetEvaluator,
  type UNetSessionOptions,
} from './ort-unet';
import { profileTable } from './profile-summary';
import { buildSharedUNet, type SharedUNet } from './shared-unet-weights';
import { TorchUNetWorker, findTorchPython } from './torch-reference';

const log = (message: string): void => void process.stderr.write(`${message}\n`);
const load = (): string =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error)).split('\n')[0] as string;
/** Milliseconds since the process started (the budget counts the build too). */
const elapsedMs = (): number => performance.now();

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
      provider: { type: 'string' },
      dtype: { type: 'string' },
      'torch-device': { type: 'string' },
      jobs: { type: 'string' },
      'jobs-only': { type: 'boolean' },
      'max-batch': { type: 'string' },
      'max-wait-ms': { type: 'string' },
      sampler: { type: 'string' },
      guidance: { type: 'string' },
      'budget-s': { type: 'string' },
      'work-dir': { type: 'string' },
    },
  });
  return parseBenchOptions(values);
}

interface TorchRuntime {
  worker: TorchUNetWorker;
  label: string;
}

async function startTorch(options: BenchOptions, unet: SharedUNet, notes: string[]): Promise<TorchRuntime | null> {
  if (options.skipTorch || options.jobsOnly) {
    notes.push(`PyTorch rows skipped: ${options.skipTorch ? '--no-torch' : '--jobs-only'}.`);
    return null;
  }
  const python = findTorchPython();
  if (!python.available) {
    notes.push(`PyTorch rows skipped: ${python.reason}.`);
    return null;
  }
  const dtype = torchDtype(options.dtype, options.torchDevice);
  try {
    const { worker, ready } = await TorchUNetWorker.start(python.python, unet.weightsPath, { threads: options.threads, device: options.torchDevice, dtype });
    const threads =
      options.torchDevice === 'cpu' ? `, torch.set_num_threads(${String(ready['threads'])})` : ', each timed run ends with torch.cuda.synchronize()';
    notes.push(
      `PyTorch ${String(ready['torch'])} (${python.python}) on ${String(ready['device'])}, ${dtype}, eager, inference_mode, attention by ${String(ready['attention'])}${threads}; weights read from the same safetensors file.`,
    );
    if (dtype !== options.dtype) notes.push(`PyTorch on the CPU computes in ${dtype}: it has no fast ${options.dtype} CPU kernels.`);
    return { worker, label: torchLabel(options) };
  } catch (error) {
    notes.push(`PyTorch rows skipped: ${errorText(error)}.`);
    return null;
  }
}

interface OrtRuntime {
  label: string;
  modelPath: string;
  evaluator: UNetEvaluator;
}

/**
 * WebGPU keeps outputs in GPU buffers for the per-evaluation timings (`gpuBuffer`); other providers, and the
 * jobs comparison alone, return them from run(). The GPU-buffer path is tried once on a small input first:
 * where its readback fails, the bench falls back to outputs returned by run() and says so, rather than losing
 * every ORT figure.
 */
async function createEvaluator(
  modelPath: string,
  session: UNetSessionOptions,
  gpuBuffer: boolean,
  probe: PredictorDims,
  notes: string[],
): Promise<UNetEvaluator> {
  if (gpuBuffer) {
    const evaluator = await GpuBufferEvaluator.create(modelPath, session);
    try {
      await evaluator.evaluate(benchInputs(probe), probe);
      return evaluator;
    } catch (error) {
      await evaluator.release();
      notes.push(`GPU-buffer outputs failed (${errorText(error)}): outputs come back from run() instead.`);
    }
  }
  return new HostOutputEvaluator(await createOrtSession(modelPath, session));
}

/** The U-Net measured by the whole bench: every resolution's grid, then its jobs comparison. */
class DiffusionBench {
  private readonly notes: string[] = [];
  private readonly skipped: string[] = [];
  private agreementChecked = false;
  /** Per resolution, the first ORT runtime's ms per evaluation at the largest batch (the profile's case). */
  private readonly largestBatchMs = new Map<number, number>();
  private jobsPredictor: { predictor: NoisePredictor; release: () => Promise<void> } | null = null;

  constructor(
    private readonly options: BenchOptions,
    private readonly unet: SharedUNet,
    private readonly runtimes: readonly OrtRuntime[],
    private readonly torch: TorchRuntime | null,
    private readonly dir: string,
    private readonly downsample: number,
    /** How long one ORT session took to create (a profile needs a fresh one). */
    private readonly sessionMs: number,
  ) {}

  private get sessionOptions(): UNetSessionOptions {
    return { provider: this.options.provider, threads: this.options.threads };
  }

  private dims(resolution: number, batch: number): PredictorDims {
    const side = resolution / this.downsample;
    return { batch, height: side, width: side, tokens: this.unet.tokens, contextDim: this.unet.config.contextWidth };
  }

  async run(): Promise<void> {
    const { options } = this;
    for (const resolution of options.resolutions) {
      const { rows, failedBatches } = options.jobsOnly ? { rows: [], failedBatches: [] } : await this.grid(resolution);
      if (rows.length > 0) {
        const labels = [...this.runtimes.map((r) => r.label), ...(this.torch ? [this.torch.label] : [])];
        console.log(
          `### ${resolution} px (latent ${resolution / this.downsample}²), ms per U-Net evaluation\n\n${timingTable(rows, labels, this.torch?.label ?? null, options.steps, this.downsample)}\n`,
        );
      }
      this.printNotes();
      if (options.jobs) await this.jobs(resolution, options.jobs, rows, failedBatches);
    }
    if (this.skipped.length > 0) this.notes.push(`Not measured (time budget of ${options.budgetSeconds} s): ${this.skipped.join('; ')}.`);
    this.printNotes();
    if (options.profile) await this.printProfiles();
  }

  /** Notes gathered so far (agreement, failures), printed as soon as their section is, so a stopped run keeps them. */
  private printNotes(): void {
    if (this.notes.length > 0) console.log(`${this.notes.splice(0).join('\n')}\n`);
  }

  async release(): Promise<void> {
    this.torch?.worker.close();
    await this.jobsPredictor?.release();
    for (const runtime of this.runtimes) await runtime.evaluator.release();
  }

  /**
   * One resolution's cases, small batches first; a case that fails is reported and the rest still run.
   * `failedBatches`: where the first ORT runtime (the one the jobs comparison uses) failed.
   */
  private async grid(resolution: number): Promise<{ rows: CaseTimings[]; failedBatches: number[] }> {
    const { options } = this;
    const rows: CaseTimings[] = [];
    const failedBatches: number[] = [];
    let previous: { batch: number; wallMs: number } | undefined;
    for (const batch of options.batches) {
      if (!fitsBudget(elapsedMs(), estimateCaseMs(previous, batch), options.budgetSeconds)) {
        this.skipped.push(`${resolution} px batch ${batch}`);
        continue;
      }
      const started = performance.now();
      const dims = this.dims(resolution, batch);
      const row: CaseTimings = { resolution, batch, ms: {} };
      for (const { label, evaluator } of this.runtimes) {
        try {
          row.ms[label] = median(await timeEvaluations(evaluator, dims, options.warmup, options.runs));
        } catch (error) {
          this.fail(`${label} failed at ${resolution} px batch ${batch}: ${errorText(error)}.`);
          if (label === this.runtimes[0]?.label) failedBatches.push(batch);
        }
      }
      if (this.torch) {
        try {
          row.ms[this.torch.label] = median(
            await this.torch.worker.time({ batch, height: dims.height, width: dims.width, tokens: dims.tokens, warmup: options.warmup, runs: options.runs }),
          );
        } catch (error) {
          this.fail(`${this.torch.label} failed at ${resolution} px batch ${batch}: ${errorText(error)}.`);
        }
      }
      if (!this.agreementChecked && this.torch && this.runtimes[0]) {
        this.agreementChecked = true;
        await this.checkAgreement(this.runtimes[0], this.torch, dims, resolution);
      }
      log(
        `${resolution} px batch ${batch}: ${Object.entries(row.ms)
          .map(([k, v]) => `${k} ${(v as number).toFixed(1)} ms`)
          .join(', ')} (load ${load()}, ${(elapsedMs() / 1000).toFixed(0)} s in)`,
      );
      rows.push(row);
      const firstMs = this.runtimes[0] && row.ms[this.runtimes[0].label];
      if (batch === Math.max(...options.batches) && firstMs !== undefined) this.largestBatchMs.set(resolution, firstMs);
      previous = { batch, wallMs: performance.now() - started };
    }
    return { rows, failedBatches };
  }

  private fail(message: string): void {
    log(message);
    this.notes.push(message);
  }

  /** Both runtimes on the same inputs once: the weights and the graph agree (fp16: to fp16 accuracy). */
  private async checkAgreement(runtime: OrtRuntime, torch: TorchRuntime, dims: PredictorDims, resolution: number): Promise<void> {
    const inputs = benchInputs(dims);
    const inputsPath = join(this.dir, 'agreement-inputs.safetensors');
    const outputPath = join(this.dir, 'agreement-noise.safetensors');
    try {
      writeSafetensors(inputsPath, [
        { key: 'latents', shape: [dims.batch, 4, dims.height, dims.width], data: inputs.latents },
        { key: 'timesteps', shape: [dims.batch], data: inputs.timesteps },
        { key: 'context', shape: [dims.batch, dims.tokens, dims.contextDim], data: inputs.context },
      ]);
      await torch.worker.run(inputsPath, outputPath);
      const file = SafetensorsFile.open(outputPath);
      const reference = file.readFloat32('noise', [dims.batch, 4, dims.height, dims.width]);
      file.close();
      const ours = await runtime.evaluator.evaluate(inputs, dims);
      const difference = relativeMaxDifference(ours, reference);
      this.notes.push(
        `Same inputs through both (${resolution} px, batch ${dims.batch}): max |${runtime.label} − ${torch.label}| = ${difference.toExponential(1)} × max |${torch.label}|.`,
      );
    } catch (error) {
      this.fail(`Agreement check failed: ${errorText(error)}.`);
    } finally {
      rmSync(inputsPath, { force: true });
      rmSync(outputPath, { force: true });
    }
  }

  /** The diffusion worker's predictor: an OrtNoisePredictor whose session returns outputs in host memory. */
  private async predictorForJobs(): Promise<NoisePredictor> {
    if (this.jobsPredictor) return this.jobsPredictor.predictor;
    const runtime = this.runtimes[0] as OrtRuntime;
    if (runtime.evaluator instanceof HostOutputEvaluator) {
      this.jobsPredictor = { predictor: new OrtNoisePredictor(runtime.evaluator.session), release: async () => undefined };
    } else {
      const session = await createOrtSession(runtime.modelPath, this.sessionOptions);
      this.jobsPredictor = { predictor: new OrtNoisePredictor(session), release: () => session.release() };
    }
    return this.jobsPredictor.predictor;
  }

  private async jobs(resolution: number, configured: JobsOptions, rows: readonly CaseTimings[], failedBatches: readonly number[]): Promise<void> {
    const { options } = this;
    const label = this.runtimes[0]?.label as string;
    const heading = `### ${resolution} px: ${configured.jobs} guided sampling jobs (${options.steps} steps, ${configured.sampler}, guidance ${configured.guidance}) through the ContinuousBatcher`;
    const measuredBatches = rows.filter((row) => row.ms[label] !== undefined).map((row) => row.batch);
    const maxBatch = jobsMaxBatch(configured.maxBatch, measuredBatches, failedBatches);
    if (maxBatch === null) {
      console.log(`${heading}\n\nNot run: ${label} failed at every call size of 2 samples or more.\n`);
      return;
    }
    const jobs = { ...configured, maxBatch };
    const fullBatch = Math.min(jobs.maxBatch, 2 * jobs.jobs);
    // From the grid when it measured both call sizes: one at a time makes jobs × steps calls of 2, batched about
    // steps calls of fullBatch; 1.3× for host outputs and the sampler, plus the predictor's session the first time.
    const msAt = (batch: number): number | undefined => rows.find((row) => row.batch === batch)?.ms[label];
    const unetMs = jobs.jobs * options.steps * (msAt(2) ?? 0) + options.steps * Math.ceil((2 * jobs.jobs) / fullBatch) * (msAt(fullBatch) ?? 0);
    const setupMs = this.jobsPredictor !== null || this.runtimes[0]?.evaluator instanceof HostOutputEvaluator ? 0 : this.sessionMs;
    const estimate = 1.3 * unetMs + setupMs;
    if (!fitsBudget(elapsedMs(), estimate, options.budgetSeconds)) {
      this.skipped.push(`${resolution} px ${jobs.jobs}-job comparison (about ${(estimate / 1000).toFixed(0)} s)`);
      return;
    }
    const shape: JobsShape = {
      latentSide: resolution / this.downsample,
      tokens: this.unet.tokens,
      contextDim: this.unet.config.contextWidth,
      steps: options.steps,
    };
    const reduced = maxBatch < configured.maxBatch ? ` (reduced from ${configured.maxBatch}: the grid's batch ${Math.min(...failedBatches)} failed)` : '';
    try {
      const predictor = await this.predictorForJobs();
      // Untimed: the call sizes both modes make, so neither pays for first-run shader compilation or allocation.
      for (const batch of new Set([2, fullBatch])) {
        const dims = this.dims(resolution, batch);
        const inputs = benchInputs(dims);
        await predictor.predict(inputs.latents, inputs.timesteps, inputs.context, dims);
      }
      const runs: JobsRun[] = [];
      for (const mode of ['one at a time', 'continuous batching'] as const) {
        runs.push(await runJobs(predictor, jobs, shape, mode));
        log(
          `${resolution} px ${jobs.jobs} jobs ${mode}: ${((runs[runs.length - 1] as JobsRun).wallMs / 1000).toFixed(1)} s (${(elapsedMs() / 1000).toFixed(0)} s in)`,
        );
      }
      const [oneAtATime, batched] = runs as [JobsRun, JobsRun];
      console.log(`${heading}\n`);
      console.log(
        `${label}, outputs returned in host memory by run() (the diffusion worker's OrtNoisePredictor). Batcher: maxBatch ${jobs.maxBatch} samples${reduced}, maxWaitMs ${jobs.maxWaitMs} ` +
          `(0 one at a time: nothing else can arrive). All jobs are submitted at once; one at a time, each starts when the previous ends. ` +
          `Only FORS and the VAE are left out (fixed contexts; jobs end at their latents). U-Net s = time inside predictor calls.\n`,
      );
      console.log(`${jobsTable(runs)}\n\n${speedUpSentence(oneAtATime, batched)}\n`);
    } catch (error) {
      log(`${resolution} px jobs comparison failed: ${errorText(error)}`);
      console.log(`${heading}\n\nFailed: ${errorText(error)}\n`);
    }
  }

  /**
   * Per resolution, the largest batch's ORT time by op type (first attention lowering) from a fresh profiled
   * session, while the budget lasts: each costs a session and two evaluations.
   */
  private async printProfiles(): Promise<void> {
    const runtime = this.runtimes[0] as OrtRuntime;
    const batch = Math.max(...this.options.batches);
    for (const resolution of this.options.resolutions) {
      const estimate = this.sessionMs + 2 * (this.largestBatchMs.get(resolution) ?? 0);
      if (!fitsBudget(elapsedMs(), estimate, this.options.budgetSeconds)) {
        console.log(`Profile at ${resolution} px not taken: time budget spent.\n`);
        continue;
      }
      const heading = `### ${runtime.label} by op type: ${resolution} px, batch ${batch}`;
      try {
        const summary = await profileOrtEvaluation(
          runtime.modelPath,
          this.sessionOptions,
          this.dims(resolution, batch),
          join(this.dir, `profile-${resolution}`),
        );
        const body = summary === null ? 'onnxruntime wrote no profile.' : `${summary.clock}, warm-up and timed run averaged:\n\n${profileTable(summary.times)}`;
        console.log(`${heading}\n\n${body}\n`);
      } catch (error) {
        console.log(`${heading}\n\nFailed: ${errorText(error)}\n`);
      }
    }
  }
}

function printHeader(options: BenchOptions, unet: SharedUNet, runtimes: readonly OrtRuntime[], notes: readonly string[]): void {
  // The bundle (gpu.sh) runs as `node dist/bench-diffusion.cjs`, the source through npm.
  const script = process.argv[1] ?? '';
  const runner = script.endsWith('.cjs') ? `node ${relative(process.cwd(), script)}` : 'npm run bench:diffusion --';
  const command = `${runner} ${process.argv.slice(2).join(' ')}`.trim();
  const attentions = options.attentions.map((a) => (a === 'contrib' ? 'com.microsoft.MultiHeadAttention' : 'MatMul/Softmax')).join(' and ');
  const outputs = runtimes[0]?.evaluator.outputs ?? '';
  console.log(
    `## U-Net on ${options.provider}, ${options.dtype}: ${options.size} (${unet.parameters.toLocaleString('en')} parameters, random weights, FRC active), ${unet.tokens} context tokens\n`,
  );
  console.log(`Machine: ${describeMachine()}; load average at the start ${load()}. Command: \`${command}\`.`);
  console.log(
    `ORT: onnxruntime-node ${ort.env.versions.node ?? ort.env.versions.common}, ${options.provider} execution provider, ${options.dtype} graph (float32 inputs and outputs), ${attentions} attention, ` +
      `intraOpNumThreads ${options.threads}, graph optimisation all; outputs ${outputs}.`,
  );
  if (!options.jobsOnly) {
    console.log(
      `ms/eval: median of ${options.runs} run(s) after ${options.warmup} warm-up(s), one U-Net evaluation of batch B, timed until its output is in host memory.`,
    );
    console.log(`${IMAGES_PER_SECOND_FORMULA}; steps = ${options.steps}.`);
  }
  for (const note of notes) console.log(note);
  console.log('');
}

async function main(): Promise<void> {
  const options = readOptions();
  const architecture = DIFFUSION_ARCHITECTURES[options.size];
  const downsample = vaeDownsampleFactor(architecture.vae);
  const dir = options.workDir ?? mkdtempSync(join(tmpdir(), 'facex-bench-diffusion-'));
  const notes: string[] = [];
  let bench: DiffusionBench | null = null;
  try {
    log(
      `building the ${options.size} U-Net (seed ${options.seed}, ${options.dtype}, ${options.attentions.join(' + ')} attention) and its safetensors in ${dir}…`,
    );
    const started = Date.now();
    const unet = buildSharedUNet({ size: options.size, dir, seed: options.seed, attentions: options.attentions, precision: GRAPH_PRECISION[options.dtype] });
    log(`${unet.reused ? 'reused' : 'built'} ${unet.parameters.toLocaleString('en')} parameters in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const sessionStarted = Date.now();
    const probeSide = Math.min(...options.resolutions) / downsample;
    const probe: PredictorDims = { batch: 1, height: probeSide, width: probeSide, tokens: unet.tokens, contextDim: unet.config.contextWidth };
    const runtimes: OrtRuntime[] = [];
    for (const attention of options.attentions) {
      const modelPath = unet.modelPaths[attention] as string;
      const gpuBuffer = options.provider === 'webgpu' && !options.jobsOnly;
      const evaluator = await createEvaluator(modelPath, { provider: options.provider, threads: options.threads }, gpuBuffer, probe, notes);
      runtimes.push({ label: ortLabel(options, attention), modelPath, evaluator });
    }
    const sessionMs = Date.now() - sessionStarted;
    log(`ORT session(s) on ${options.provider} ready in ${(sessionMs / 1000).toFixed(1)} s`);
    const torch = await startTorch(options, unet, notes);
    bench = new DiffusionBench(options, unet, runtimes, torch, dir, downsample, sessionMs / runtimes.length);
    printHeader(options, unet, runtimes, notes);
    await bench.run();
  } finally {
    await bench?.release();
    if (options.workDir === null) rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(isFacexError(error) ? `bench:diffusion: ${error.message}` : error);
  process.exit(isFacexError(error) ? 2 : 1);
});
