/**
 * The worker thread's entry: opens the DiffusionEngine from `workerData` and serves render, cancel and stats
 * messages. Renders run concurrently (jobs posted together start sampling together), so their U-Net evaluations meet in the engine's one batcher.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import type { SamplingProgress } from '../batching/continuous-batcher';
import { DiffusionEngine, type EngineSettings } from './diffusion-engine';
import { serializeError } from '@facex/runtime';
import type { FromWorker, ToWorker } from './worker-protocol';

function serve(port: MessagePort, engine: DiffusionEngine): void {
  const send = (message: FromWorker, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer);
  const running = new Map<number, AbortController>();
  port.on('message', (message: ToWorker) => {
    switch (message.kind) {
      case 'stats':
        send({ kind: 'stats', id: message.id, stats: engine.stats });
        return;
      case 'cancel':
        running.get(message.id)?.abort(new Error('canceled by the caller'));
        return;
      case 'render': {
        const controls = message.jobs.map(({ id }) => {
          const controller = new AbortController();
          running.set(id, controller);
          return { signal: controller.signal, onProgress: ({ step, steps }: SamplingProgress) => send({ kind: 'step', id, step, steps }) };
        });
        const rendered = engine.renderAll(message.jobs.map(({ job }, i) => ({ job, controls: controls[i] })));
        message.jobs.forEach(({ id }, i) => {
          rendered[i]
            .then(
              (image) => send({ kind: 'rendered', id, image }, [image.data.buffer as ArrayBuffer]),
              (error: unknown) => send({ kind: 'failed', id, error: serializeError(error) }),
            )
            .finally(() => running.delete(id));
        });
      }
    }
  });
}

async function main(port: MessagePort, settings: EngineSettings): Promise<void> {
  let engine: DiffusionEngine;
  try {
    engine = await DiffusionEngine.open(settings);
  } catch (error) {
    port.postMessage({ kind: 'failed-to-start', error: serializeError(error) } satisfies FromWorker);
    return;
  }
  serve(port, engine);
  port.postMessage({ kind: 'ready' } satisfies FromWorker);
}

if (parentPort) void main(parentPort, (workerData as { settings: EngineSettings }).settings);
