/**
 * The plain-PyTorch reference U-Net (unet_reference.py) as a child process: one JSON command per line in,
 * one JSON reply per line out. PyTorch is optional: `findTorchPython` says why it is unusable instead of
 * failing, so the bench and the equivalence spec skip the PyTorch side on machines without it.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'child_process';
import { join } from 'path';
import { createInterface } from 'readline';
import { FacexError } from '@facex/contracts';
import type { Dtype, TorchDevice } from './bench-grid';

/** Beside this module, or beside the bundle (the bundle step copies it next to dist/bench-diffusion.cjs). */
const REFERENCE_SCRIPT = join(__dirname, 'unet_reference.py');

export type TorchPython = { available: true; python: string; torchVersion: string } | { available: false; reason: string };

/**
 * $FACEX_TORCH_PYTHON when set (and only it), else the first of `python3` and Debian's /usr/bin/python3 that
 * imports torch (a pyenv or venv `python3` first on PATH does not see Debian's dist-packages).
 */
export function findTorchPython(): TorchPython {
  const chosen = process.env['FACEX_TORCH_PYTHON'];
  const candidates = chosen ? [chosen] : ['python3', '/usr/bin/python3'];
  const failures: string[] = [];
  for (const python of new Set(candidates)) {
    const probe = spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8', timeout: 60_000 });
    if (probe.status === 0) return { available: true, python, torchVersion: probe.stdout.trim() };
    const lastLine = (probe.stderr || String(probe.error ?? 'no output')).trim().split('\n').pop();
    failures.push(`${python}: ${lastLine}`);
  }
  return { available: false, reason: `no python with torch (${failures.join('; ')}); install Debian's python3-torch` };
}

export interface TimeCommand {
  batch: number;
  height: number;
  width: number;
  tokens: number;
  warmup: number;
  runs: number;
}

type Reply = Record<string, unknown>;

export interface TorchWorkerSettings {
  threads: number;
  device: TorchDevice;
  dtype: Dtype;
}

export class TorchUNetWorker {
  private readonly pending: Array<(reply: Reply) => void> = [];
  private stderr = '';
  private exitMessage: string | null = null;

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    child.stderr.on('data', (chunk: Buffer) => (this.stderr = (this.stderr + chunk.toString()).slice(-4000)));
    createInterface({ input: child.stdout }).on('line', (line) => this.pending.shift()?.(JSON.parse(line) as Reply));
    child.on('exit', (code) => {
      this.exitMessage = `worker exited with ${code}: ${this.stderr.trim()}`;
      for (const resolve of this.pending.splice(0)) resolve({ error: this.exitMessage });
    });
  }

  /**
   * Loads the weights file (architecture from its metadata) in a worker using `threads` intra-op threads,
   * computing in `dtype` on `device`. The ready reply names torch's version, the device and the attention kernel.
   */
  static async start(python: string, weightsPath: string, settings: TorchWorkerSettings): Promise<{ worker: TorchUNetWorker; ready: Reply }> {
    const args = [REFERENCE_SCRIPT, weightsPath, String(settings.threads), settings.device, settings.dtype];
    const worker = new TorchUNetWorker(spawn(python, args, { stdio: 'pipe' }));
    return { worker, ready: await worker.reply() };
  }

  /** Milliseconds of each timed evaluation on random inputs of the given shape. */
  async time(command: TimeCommand): Promise<number[]> {
    this.child.stdin.write(`${JSON.stringify({ op: 'time', ...command })}\n`);
    return (await this.reply())['ms'] as number[];
  }

  /** Runs latents/timesteps/context from a safetensors file and writes `noise` to `outputPath`. */
  async run(inputsPath: string, outputPath: string): Promise<void> {
    this.child.stdin.write(`${JSON.stringify({ op: 'run', inputs: inputsPath, output: outputPath })}\n`);
    await this.reply();
  }

  close(): void {
    this.child.stdin.end();
  }

  private async reply(): Promise<Reply> {
    const reply = await new Promise<Reply>((resolve) => (this.exitMessage === null ? this.pending.push(resolve) : resolve({ error: this.exitMessage })));
    if (typeof reply['error'] === 'string') throw new FacexError('unavailable', `PyTorch reference U-Net: ${reply['error']}`, { field: 'torch' });
    return reply;
  }
}
