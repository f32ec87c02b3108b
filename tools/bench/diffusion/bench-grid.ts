/** The bench's options, cases, throughput formula and markdown table: pure functions, no I/O. */
import { FacexError } from '@facex/contracts';
import {
  DEFAULT_DIFFUSION_SETTINGS,
  PACK_SIZES,
  SAMPLER_KINDS,
  parseExecutionProvider,
  type ExecutionProvider,
  type GraphOptions,
  type PackSize,
  type SamplerKind,
} from '@facex/diffusion';

export const ATTENTION_LOWERINGS = ['matmul', 'contrib'] as const satisfies ReadonlyArray<GraphOptions['attention']>;
export const DTYPES = ['fp32', 'fp16'] as const;
export type Dtype = (typeof DTYPES)[number];
export const TORCH_DEVICES = ['cpu', 'cuda'] as const;
export type TorchDevice = (typeof TORCH_DEVICES)[number];

export const GRAPH_PRECISION: Record<Dtype, GraphOptions['precision']> = { fp32: 'float32', fp16: 'float16' };

/** PyTorch follows --dtype where it has fast kernels for it: fp16 on CUDA only (CPU fp16 convolutions crawl or are missing). */
export function torchDtype(dtype: Dtype, device: TorchDevice): Dtype {
  return device === 'cuda' ? dtype : 'fp32';
}

/** The concurrent-jobs comparison: `jobs` guided sampling jobs through the ContinuousBatcher, together and one at a time. */
export interface JobsOptions {
  jobs: number;
  /** The batcher's U-Net samples per call; default 2 × jobs, so every guided job fits one call. */
  maxBatch: number;
  /** The batcher's hold for late arrivals; default the worker's. */
  maxWaitMs: number;
  /** Default the worker's sampler. */
  sampler: SamplerKind;
  /** Classifier-free guidance scale; ≠ 1, so each job contributes a cond and an uncond sample per step. */
  guidance: number;
}

export interface BenchOptions {
  size: PackSize;
  batches: number[];
  /** Image side in pixels; the U-Net sees side / 8 latents. */
  resolutions: number[];
  warmup: number;
  runs: number;
  attentions: Array<GraphOptions['attention']>;
  /** Sampling steps for the images/s column. */
  steps: number;
  seed: number;
  /** Intra-op threads of both runtimes (ORT intraOpNumThreads, torch.set_num_threads). */
  threads: number;
  /** Also write an ORT profile per case and print where the time goes by node type. */
  profile: boolean;
  /** Skip PyTorch even where it is installed. */
  skipTorch: boolean;
  /** ORT execution provider of the U-Net session. */
  provider: ExecutionProvider;
  /** Precision of the ORT graph; PyTorch follows it where it can (torchDtype). */
  dtype: Dtype;
  torchDevice: TorchDevice;
  /** The concurrent-jobs comparison, or null for the per-evaluation grid only. */
  jobs: JobsOptions | null;
  /** Skip the per-evaluation grid (with --jobs). */
  jobsOnly: boolean;
  /** Stop starting cases once this many seconds have passed since start; null: no limit. */
  budgetSeconds: number | null;
  /** Keep (and reuse) the built U-Net here instead of a temporary directory. */
  workDir: string | null;
}

/** tiny: the whole grid, 5 timed runs; sd15 (860M parameters, seconds per call on 2 cores): 4 cases, 1 run. */
export const DEFAULT_GRIDS: Record<PackSize, Pick<BenchOptions, 'batches' | 'resolutions' | 'warmup' | 'runs'>> = {
  tiny: { batches: [1, 2, 4, 8, 16], resolutions: [256, 512], warmup: 2, runs: 7 },
  sd15: { batches: [1, 2], resolutions: [256, 512], warmup: 1, runs: 1 },
};

function usage(field: string, message: string): FacexError {
  return new FacexError('invalid_recipe', `${field}: ${message}`, { field });
}

function positiveInts(field: string, text: string): number[] {
  const values = text.split(',').map((part) => Number(part.trim()));
  if (values.length === 0 || values.some((v) => !Number.isInteger(v) || v < 1)) throw usage(field, `expected comma-separated positive integers, got '${text}'`);
  return values;
}

function positiveInt(field: string, text: string, min = 1): number {
  const value = Number(text.trim());
  if (text.trim() === '' || !Number.isInteger(value) || value < min) throw usage(field, `expected one integer ≥ ${min}, got '${text}'`);
  return value;
}

export interface RawBenchArgs {
  size?: string;
  batches?: string;
  resolutions?: string;
  warmup?: string;
  runs?: string;
  attention?: string;
  steps?: string;
  seed?: string;
  threads?: string;
  profile?: boolean;
  'no-torch'?: boolean;
  provider?: string;
  dtype?: string;
  'torch-device'?: string;
  jobs?: string;
  'jobs-only'?: boolean;
  'max-batch'?: string;
  'max-wait-ms'?: string;
  sampler?: string;
  guidance?: string;
  'budget-s'?: string;
  'work-dir'?: string;
}

function oneOf<T extends string>(field: string, raw: string | undefined, allowed: readonly T[], fallback: T): T {
  const value = raw ?? fallback;
  if (!(allowed as readonly string[]).includes(value)) throw usage(field, `expected one of ${allowed.join(', ')}, got '${value}'`);
  return value as T;
}

function parseJobs(raw: RawBenchArgs): JobsOptions | null {
  if (raw.jobs === undefined) {
    const stray = (['max-batch', 'max-wait-ms', 'sampler', 'guidance', 'jobs-only'] as const).find((flag) => raw[flag] !== undefined);
    if (stray !== undefined) throw usage(`--${stray}`, 'applies to the concurrent-jobs comparison only: add --jobs N');
    return null;
  }
  const jobs = positiveInt('--jobs', raw.jobs);
  const maxBatch = raw['max-batch'] === undefined ? 2 * jobs : positiveInt('--max-batch', raw['max-batch'], 2);
  const guidance = raw.guidance === undefined ? 7.5 : Number(raw.guidance);
  if (!Number.isFinite(guidance) || guidance <= 0 || guidance === 1)
    throw usage('--guidance', `expected a positive number other than 1 (guidance on), got '${raw.guidance}'`);
  return {
    jobs,
    maxBatch,
    maxWaitMs: raw['max-wait-ms'] === undefined ? DEFAULT_DIFFUSION_SETTINGS.maxWaitMs : positiveInt('--max-wait-ms', raw['max-wait-ms'], 0),
    sampler: oneOf('--sampler', raw.sampler, SAMPLER_KINDS, DEFAULT_DIFFUSION_SETTINGS.sampler),
    guidance,
  };
}

export function parseBenchOptions(raw: RawBenchArgs): BenchOptions {
  const size = (raw.size ?? 'tiny') as PackSize;
  if (!PACK_SIZES.includes(size)) throw usage('--size', `expected one of ${PACK_SIZES.join(', ')}, got '${raw.size}'`);
  const grid = DEFAULT_GRIDS[size];
  const resolutions = raw.resolutions === undefined ? grid.resolutions : positiveInts('--resolutions', raw.resolutions);
  const badSide = resolutions.find((side) => side % 64 !== 0);
  if (badSide !== undefined) throw usage('--resolutions', `${badSide} px is not a multiple of 64 (latents must divide by the U-Net's downsampling)`);
  const attentions = (raw.attention ?? 'matmul').split(',').map((a) => a.trim());
  const unknown = attentions.find((a) => !(ATTENTION_LOWERINGS as readonly string[]).includes(a));
  if (unknown !== undefined) throw usage('--attention', `expected ${ATTENTION_LOWERINGS.join(' and/or ')}, got '${unknown}'`);
  const jobs = parseJobs(raw);
  return {
    size,
    batches: raw.batches === undefined ? grid.batches : positiveInts('--batches', raw.batches),
    resolutions,
    warmup: raw.warmup === undefined ? grid.warmup : positiveInt('--warmup', raw.warmup, 0),
    runs: raw.runs === undefined ? grid.runs : positiveInt('--runs', raw.runs),
    attentions: [...new Set(attentions)] as BenchOptions['attentions'],
    steps: raw.steps === undefined ? 25 : positiveInt('--steps', raw.steps),
    seed: raw.seed === undefined ? 0 : positiveInt('--seed', raw.seed, 0),
    threads: raw.threads === undefined ? 2 : positiveInt('--threads', raw.threads),
    profile: raw.profile ?? false,
    skipTorch: raw['no-torch'] ?? false,
    provider: parseExecutionProvider(raw.provider ?? 'cpu', '--provider'),
    dtype: oneOf('--dtype', raw.dtype, DTYPES, 'fp32'),
    torchDevice: oneOf('--torch-device', raw['torch-device'], TORCH_DEVICES, 'cpu'),
    jobs,
    jobsOnly: raw['jobs-only'] ?? false,
    budgetSeconds: raw['budget-s'] === undefined ? null : positiveInt('--budget-s', raw['budget-s']),
    workDir: raw['work-dir'] ?? null,
  };
}

export interface BenchCase {
  resolution: number;
  batch: number;
}

/** Resolution-major, small batches first. */
export function benchCases(options: Pick<BenchOptions, 'batches' | 'resolutions'>): BenchCase[] {
  return options.resolutions.flatMap((resolution) => options.batches.map((batch) => ({ resolution, batch })));
}

/**
 * Images per second with classifier-free guidance: every image needs a conditional and an unconditional
 * sample per step, so one evaluation of batch B advances B / 2 images by one step, and
 * images/s = (B / 2) / (steps × seconds per evaluation).
 */
export function guidedImagesPerSecond(batch: number, msPerEvaluation: number, steps: number): number {
  return batch / 2 / (steps * (msPerEvaluation / 1000));
}

export const IMAGES_PER_SECOND_FORMULA = 'images/s = (B / 2) / (steps × s per evaluation): with guidance each image takes a cond and an uncond sample per step';

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** One case's median ms per evaluation per runtime label (absent: not measured). */
export interface CaseTimings extends BenchCase {
  ms: Record<string, number | undefined>;
}

const formatMs = (ms: number): string => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));
const formatRate = (rate: number): string => (rate >= 10 ? rate.toFixed(1) : rate >= 0.1 ? rate.toFixed(2) : rate.toPrecision(2));

/**
 * Markdown: per case, ms per evaluation and images/s for each runtime, then PyTorch ms / fastest ORT ms
 * (> 1: ORT is faster) when `reference` was measured.
 */
export function timingTable(rows: readonly CaseTimings[], runtimes: readonly string[], reference: string | null, steps: number, downsample: number): string {
  const ortRuntimes = runtimes.filter((r) => r !== reference);
  const header = ['px', 'latent', 'batch', ...runtimes.map((r) => `${r} ms/eval`), ...runtimes.map((r) => `${r} img/s`)];
  if (reference) header.push(`speed-up vs ${reference}`);
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
  for (const row of rows) {
    const cells = [String(row.resolution), `${row.resolution / downsample}²`, String(row.batch)];
    for (const r of runtimes) cells.push(row.ms[r] === undefined ? '—' : formatMs(row.ms[r] as number));
    for (const r of runtimes) cells.push(row.ms[r] === undefined ? '—' : formatRate(guidedImagesPerSecond(row.batch, row.ms[r] as number, steps)));
    if (reference) {
      const fastestOrt = Math.min(...ortRuntimes.map((r) => row.ms[r] ?? Number.POSITIVE_INFINITY));
      const torchMs = row.ms[reference];
      cells.push(torchMs === undefined || !Number.isFinite(fastestOrt) ? '—' : `${(torchMs / fastestOrt).toFixed(2)}×`);
    }
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

export const ortLabel = (options: Pick<BenchOptions, 'provider' | 'dtype'>, attention: GraphOptions['attention']): string =>
  `ORT ${options.provider} ${options.dtype} ${attention}`;
export const torchLabel = (options: Pick<BenchOptions, 'torchDevice' | 'dtype'>): string =>
  `PyTorch ${options.torchDevice} ${torchDtype(options.dtype, options.torchDevice)}`;

/** Whether a piece of work expected to take `estimateMs` still ends within the budget (always, without one). */
export function fitsBudget(elapsedMs: number, estimateMs: number, budgetSeconds: number | null): boolean {
  return budgetSeconds === null || elapsedMs + estimateMs <= budgetSeconds * 1000;
}

/** A case's expected wall time from the previous case at the same resolution: time grows about linearly with batch. */
export function estimateCaseMs(previous: { batch: number; wallMs: number } | undefined, batch: number): number {
  return previous === undefined ? 0 : (previous.wallMs * batch) / previous.batch;
}

/** max |values − reference| / max |reference|: how far two runtimes' outputs are apart, relative to the output's range. */
export function relativeMaxDifference(values: Float32Array, reference: Float32Array): number {
  if (values.length !== reference.length) throw new RangeError(`cannot compare ${values.length} values with ${reference.length}`);
  let range = 0;
  let worst = 0;
  for (let i = 0; i < reference.length; i++) {
    range = Math.max(range, Math.abs(reference[i] as number));
    worst = Math.max(worst, Math.abs((values[i] as number) - (reference[i] as number)));
  }
  return worst / range;
}

/**
 * The jobs comparison's maxBatch at one resolution: the configured one, unless the grid saw the U-Net fail at
 * that call size or below (e.g. out of GPU memory); then the largest batch it measured below the smallest
 * failure, or null when none of at least 2 samples (one guided job) ran.
 */
export function jobsMaxBatch(configured: number, measuredBatches: readonly number[], failedBatches: readonly number[]): number | null {
  const smallestFailure = Math.min(...failedBatches.filter((batch) => batch <= configured));
  if (!Number.isFinite(smallestFailure)) return configured;
  const fallback = Math.max(...measuredBatches.filter((batch) => batch >= 2 && batch < smallestFailure));
  return Number.isFinite(fallback) ? fallback : null;
}
