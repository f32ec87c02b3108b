/**
 * ffmpeg and ffprobe as bounded child processes: an argument array (never a shell string), a wall-clock limit
 * (SIGKILL when exceeded) and an address-space limit set by util-linux's `prlimit` (Node cannot set rlimits on
 * a child), so a hostile file cannot make the decoder eat the worker's memory or time.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Readable, Writable } from 'node:stream';

export type VideoTool = 'ffmpeg' | 'ffprobe';

export interface ToolLimits {
  /** Killed (SIGKILL) after this many milliseconds. */
  timeoutMs: number;
  /** Address-space limit of the child in bytes (RLIMIT_AS). */
  maxMemoryBytes: number;
}

/** Generous for a few seconds of 1080p: x264's lookahead and threads reserve far more than they touch. */
export const DEFAULT_TOOL_LIMITS: ToolLimits = { timeoutMs: 120_000, maxMemoryBytes: 4 * 1024 ** 3 };

const TOOL_PATHS: Record<VideoTool, string> = { ffmpeg: '/usr/bin/ffmpeg', ffprobe: '/usr/bin/ffprobe' };
const PRLIMIT = '/usr/bin/prlimit';
/** What is kept of stderr for the error message: ffmpeg's reason is in its last lines. */
const STDERR_TAIL = 4_000;

export class VideoToolError extends Error {
  constructor(
    message: string,
    readonly stderrTail: string,
    readonly timedOut: boolean,
  ) {
    super(message);
    this.name = 'VideoToolError';
  }
}

/** The child closed its stdin before taking everything: it exited (see its own error) or stopped reading. */
export class ToolInputClosedError extends Error {
  constructor() {
    super('the video tool closed its input');
    this.name = 'ToolInputClosedError';
  }
}

/** Whether ffmpeg and ffprobe are installed (Debian's package); suites that need them skip otherwise. */
export function videoToolsAvailable(): boolean {
  return existsSync(TOOL_PATHS.ffmpeg) && existsSync(TOOL_PATHS.ffprobe);
}

export interface ToolRun {
  /** Feed the child's stdin (the promise settles when everything is written). */
  feed?: (stdin: Writable) => Promise<void>;
  /** Consume the child's stdout as a stream (otherwise it is collected and returned). */
  read?: (stdout: Readable) => Promise<void>;
  limits?: Partial<ToolLimits>;
}

/** Runs the tool; resolves with its stdout (empty when `read` consumed it), rejects with a VideoToolError. */
export function runVideoTool(tool: VideoTool, args: readonly string[], run: ToolRun = {}): Promise<Buffer> {
  const limits = { ...DEFAULT_TOOL_LIMITS, ...run.limits };
  const command = existsSync(PRLIMIT) ? PRLIMIT : TOOL_PATHS[tool];
  const commandArgs = command === PRLIMIT ? [`--as=${limits.maxMemoryBytes}`, '--', TOOL_PATHS[tool], ...args] : [...args];
  const child = spawn(command, commandArgs, { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  let timedOut = false;
  const stdoutChunks: Buffer[] = [];
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text: string) => {
    stderr = (stderr + text).slice(-STDERR_TAIL);
  });
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, limits.timeoutMs);
  // EPIPE on stdin when the child exits early is reported through the exit status, not as a second error.
  child.stdin.on('error', () => undefined);
  const exited = new Promise<void>((resolve, reject) => {
    child.on('error', (error) => reject(new VideoToolError(`${tool} could not start: ${error.message}`, stderr, false)));
    child.on('close', (code, signal) => {
      if (code === 0) resolve();
      else {
        const why = timedOut ? `timed out after ${limits.timeoutMs} ms` : `exited with ${code ?? signal}`;
        reject(new VideoToolError(`${tool} ${why}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`, stderr, timedOut));
      }
    });
  });
  const fed = run.feed ? run.feed(child.stdin) : (child.stdin.end(), Promise.resolve());
  const consumed = run.read
    ? run.read(child.stdout)
    : new Promise<void>((resolve) => {
        child.stdout.on('data', (chunk: Buffer) => stdoutChunks.push(chunk));
        child.stdout.on('end', resolve);
      });
  // A feeder or reader that throws kills the child, so nothing keeps running behind a failed call.
  const work = Promise.all([fed, consumed]).catch((error: unknown) => {
    child.kill('SIGKILL');
    throw error;
  });
  // The first failure settles the call: a feeder still waiting for a dead child's stdin must not hold it. A
  // feeder that lost its child reports the child's own failure (a timeout, a crash), not the closed pipe.
  return new Promise<Buffer>((resolve, reject) => {
    work.catch((error: unknown) => (error instanceof ToolInputClosedError ? exited.then(() => reject(error), reject) : reject(error)));
    exited.catch(reject);
    Promise.all([work, exited]).then(
      () => resolve(Buffer.concat(stdoutChunks)),
      () => undefined,
    );
  }).finally(() => clearTimeout(timer));
}

/** Writes to a child's stdin honouring backpressure; rejects when the child goes away meanwhile. */
export function writeChunk(stdin: Writable, chunk: Uint8Array): Promise<void> {
  if (stdin.write(chunk)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const done = (error?: Error) => {
      stdin.off('drain', onDrain);
      stdin.off('close', onClose);
      if (error) reject(error);
      else resolve();
    };
    const onDrain = () => done();
    const onClose = () => done(new ToolInputClosedError());
    stdin.on('drain', onDrain);
    stdin.on('close', onClose);
  });
}
