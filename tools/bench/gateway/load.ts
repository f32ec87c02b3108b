/**
 * The load generator of `npm run bench:gateway`, run as its own process: CONNECTIONS keep-alive connections,
 * each sending one POST /v1/edits at a time for WARMUP_S + DURATION_S seconds, every request with its own
 * Idempotency-Key. Only requests started after the warm-up are measured. Prints one JSON line (LoadReport).
 * Input: the JSON of LoadSpec in the BENCH_LOAD environment variable.
 */
import { Agent, request } from 'node:http';
import { percentile } from '../stats';

export interface LoadSpec {
  url: string;
  apiKey: string;
  body: unknown;
  connections: number;
  warmupS: number;
  durationS: number;
}

export interface LoadReport {
  /** Requests answered 201/202 with an edit id (measured window). */
  accepted: number;
  errors: number;
  statuses: Record<string, number>;
  seconds: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Every accepted request, warm-up included (for per-edit Redis figures). */
  acceptedTotal: number;
  /** This process's CPU time per request sent, warm-up included. */
  cpuMsPerRequest: number;
}

interface Answer {
  status: number;
  body: string;
}

function post(agent: Agent, url: URL, headers: Record<string, string>, payload: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { method: 'POST', agent, headers: { ...headers, 'content-length': String(Buffer.byteLength(payload)) } }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      response.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end(payload);
  });
}

const isAccepted = (answer: Answer): boolean => (answer.status === 201 || answer.status === 202) && /"id":"ed_/.test(answer.body);

export async function runLoad(spec: LoadSpec): Promise<LoadReport> {
  const url = new URL('/v1/edits', spec.url);
  const agent = new Agent({ keepAlive: true, maxSockets: spec.connections });
  const payload = JSON.stringify(spec.body);
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let accepted = 0;
  let acceptedTotal = 0;
  let errors = 0;
  let sequence = 0;
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  const measureFrom = start + spec.warmupS * 1000;
  const end = measureFrom + spec.durationS * 1000;
  const connection = async (): Promise<void> => {
    while (performance.now() < end) {
      const headers = { authorization: `Bearer ${spec.apiKey}`, 'content-type': 'application/json', 'idempotency-key': `bench-${process.pid}-${sequence++}` };
      const sent = performance.now();
      const answer = await post(agent, url, headers, payload).catch((): Answer => ({ status: 0, body: '' }));
      const ok = isAccepted(answer);
      if (ok) acceptedTotal++;
      if (sent < measureFrom) continue;
      latencies.push(performance.now() - sent);
      statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
      if (ok) accepted++;
      else errors++;
    }
  };
  await Promise.all(Array.from({ length: spec.connections }, connection));
  agent.destroy();
  const cpu = process.cpuUsage(cpuBefore);
  return {
    accepted,
    errors,
    statuses,
    seconds: (performance.now() - measureFrom) / 1000,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    maxMs: percentile(latencies, 100),
    acceptedTotal,
    cpuMsPerRequest: (cpu.user + cpu.system) / 1000 / Math.max(1, sequence),
  };
}

if (require.main === module) {
  const spec = JSON.parse(process.env['BENCH_LOAD'] ?? 'null') as LoadSpec | null;
  if (!spec) throw new Error('BENCH_LOAD: expected the load spec as JSON');
  runLoad(spec).then(
    (report) => console.log(JSON.stringify(report)),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
