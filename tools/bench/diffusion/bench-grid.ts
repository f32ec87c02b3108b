/** The bench's options, cases, throughput formula and markdown table: pure functions, no I/O. */
import { FacexError } from '@facex/contracts';
import { PACK_SIZES, type GraphOptions, type PackSize } from '@facex/diffusion';

export const ATTENTION_LOWERINGS = ['matmul', 'contrib'] as const satisfies ReadonlyArray<GraphOptions['attention']>;

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
}

/** tiny: the whole grid, 5 timed runs; sd15 (860M parameters, seconds per call on 2 cores): 4 cases, 1 run. */
export const DEFAULT_GRIDS: Record<PackSize, Pick<BenchOptions, 'batches' | 'resolutions' | 'warmup' | 'runs'>> = {
  tiny: { batches: [1, 2, 4, 8, 16], resolutions: [256, 512], warmup: 2, runs: 7 },
  sd15: { batches: [1, 2], resolutions: [256, 512], warmup: 1, runs: 1 },
};

function usage(field: string, message: string): FacexError {
  return new FacexError('invalid_recipe', `bench:diffusion ${field}: ${message}`, { field });
}

function positiveInts(field: string, text: string): number[] {
  const values = text.split(',').map((part) => Number(part.trim()));
  if (values.length === 0 || values.some((v) => !Number.isInteger(v) || v < 1)) throw usage(field, `expected comma-separated positive integers, got '${text}'`);
  return values;
}

function positiveInt(field: string, text: string, min = 1): number {
  const [value] = positiveInts(field, text);
  if (value === undefined || value < min || text.includes(',')) throw usage(field, `expected one integer ≥ ${min}, got '${text}'`);
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
