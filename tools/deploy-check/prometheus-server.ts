/**
 * A throwaway Prometheus server on loopback: generated config (static targets on 127.0.0.1, the rule file),
 * its own storage directory, stopped and removed afterwards. Used by the scrape test; never reaches beyond
 * 127.0.0.1.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { ruleFileText, type RuleGroup } from './rules';

export interface ScrapeTarget {
  /** The job label; the manifests' Service names (facex-gateway, …), which the rules select on. */
  readonly job: string;
  readonly port: number;
}

export interface RunningPrometheus {
  readonly url: string;
  stop(): Promise<void>;
}

export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Prometheus' configuration: 1 s scrapes and rule evaluations, so a test sees data within seconds. */
export function prometheusConfig(targets: readonly ScrapeTarget[], ruleFile: string): string {
  return stringify({
    global: { scrape_interval: '1s', scrape_timeout: '900ms', evaluation_interval: '1s' },
    rule_files: [ruleFile],
    scrape_configs: targets.map(({ job, port }) => ({ job_name: job, honor_labels: true, static_configs: [{ targets: [`127.0.0.1:${port}`] }] })),
  });
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

export async function startPrometheus(binary: string, targets: readonly ScrapeTarget[], groups: readonly RuleGroup[]): Promise<RunningPrometheus> {
  const dir = mkdtempSync(join(tmpdir(), 'facex-prometheus-'));
  // Groups evaluate on the 1 s global interval here: a 30 s group interval would make the first evaluation
  // wait up to 30 s (Prometheus spreads groups over their interval). Expressions are unchanged.
  const everySecond = groups.map(({ interval: _interval, ...group }) => group);
  writeFileSync(join(dir, 'rules.yaml'), ruleFileText(everySecond));
  writeFileSync(join(dir, 'prometheus.yml'), prometheusConfig(targets, join(dir, 'rules.yaml')));
  const port = await freeLoopbackPort();
  const url = `http://127.0.0.1:${port}`;
  let log = '';
  const child = spawn(
    binary,
    [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const stop = async (): Promise<void> => {
    await stopProcess(child);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitUntil(async () => (await fetch(`${url}/-/ready`)).ok, 15_000, 'Prometheus to be ready');
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}; its log:\n${log.slice(-2000)}`, { cause: error });
  }
  return { url, stop };
}

interface ApiResponse<T> {
  status: 'success' | 'error';
  data: T;
  error?: string;
  errorType?: string;
}

async function api<T>(url: string): Promise<ApiResponse<T>> {
  return (await (await fetch(url)).json()) as ApiResponse<T>;
}

/** Waits until every target of `jobs` has been scraped successfully. */
export function waitForTargetsUp(prometheus: RunningPrometheus, jobs: readonly string[], timeoutMs = 15_000): Promise<void> {
  return waitUntil(
    async () => {
      const { data } = await api<{ activeTargets: Array<{ labels: Record<string, string>; health: string }> }>(`${prometheus.url}/api/v1/targets`);
      return jobs.every((job) => data.activeTargets.some((target) => target.labels['job'] === job && target.health === 'up'));
    },
    timeoutMs,
    `targets ${jobs.join(', ')} to be up`,
  );
}

export interface RuleHealth {
  readonly name: string;
  readonly health: string;
  readonly lastError?: string;
  readonly lastEvaluation: string;
}

/** The rules as Prometheus evaluates them (health "ok", "err" or "unknown" before the first evaluation). */
export async function ruleHealth(prometheus: RunningPrometheus): Promise<RuleHealth[]> {
  const { data } = await api<{ groups: Array<{ rules: RuleHealth[] }> }>(`${prometheus.url}/api/v1/rules`);
  return data.groups.flatMap((group) => group.rules);
}

/** Waits until every rule has been evaluated at least once. */
export function waitForRuleEvaluations(prometheus: RunningPrometheus, timeoutMs = 15_000): Promise<void> {
  return waitUntil(
    async () => (await ruleHealth(prometheus)).every((rule) => rule.health !== 'unknown' && !rule.lastEvaluation.startsWith('0001-')),
    timeoutMs,
    'every rule to be evaluated',
  );
}

export interface QueryResult {
  readonly status: 'success' | 'error';
  readonly error?: string;
  readonly samples: Array<{ metric: Record<string, string>; value: number }>;
}

/** An instant query through the HTTP API; errors are returned, not thrown, so a test can name them. */
export async function instantQuery(prometheus: RunningPrometheus, expr: string): Promise<QueryResult> {
  const response = await api<{ resultType: string; result: Array<{ metric: Record<string, string>; value: [number, string] }> }>(
    `${prometheus.url}/api/v1/query?query=${encodeURIComponent(expr)}`,
  );
  if (response.status !== 'success') return { status: 'error', error: `${response.errorType}: ${response.error}`, samples: [] };
  const result = response.data.resultType === 'vector' ? response.data.result : [];
  return { status: 'success', samples: result.map(({ metric, value }) => ({ metric, value: Number(value[1]) })) };
}

/** Polls an instant query until it returns samples (a recording rule's first evaluation may precede the first scrape). */
export async function waitForSamples(prometheus: RunningPrometheus, expr: string, timeoutMs = 15_000): Promise<QueryResult> {
  let result: QueryResult = { status: 'success', samples: [] };
  await waitUntil(
    async () => {
      result = await instantQuery(prometheus, expr);
      return result.samples.length > 0;
    },
    timeoutMs,
    `samples of ${expr}`,
  );
  return result;
}
