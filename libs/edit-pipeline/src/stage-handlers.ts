/**
 * The job handlers of the three edit stages (and of `faces`, the face list of a photo): thin adapters from job payloads to the stage functions, with
 * the edit's status, progress and timing around them. No BullMQ here (see @facex/queue for the transport).
 */
import type { EditStage } from '@facex/contracts';
import type { GeneratorRegistry } from '@facex/generators';
import type { FinalFailureHook, JobContext, JobHandlers } from '@facex/queue';
import type { BlobStore } from '@facex/storage';
import { FacexError, samples } from '@facex/contracts';
import type { EditLifecycle } from './edit-lifecycle';
import type { FaceAnalyzerPort, PipelineMetrics } from './ports';
import type { RepresentationRepository } from './repositories/representation-repository';
import { assembleConditions } from './stages/assemble';
import { extractRepresentation } from './stages/extract';
import { listFaces } from './stages/faces';
import { renderResult } from './stages/render';

export interface StageDeps {
  blobs: BlobStore;
  representations: RepresentationRepository;
  lifecycle: EditLifecycle;
  metrics: PipelineMetrics;
  /** Present on CPU workers: enables extract + assemble. */
  analyzer?: FaceAnalyzerPort;
  /** Present on GPU workers: enables render. */
  generators?: GeneratorRegistry;
  resultTtlMs: number;
  representationTtlMs: number;
}

/** Runs a stage, recording how long its job waited in the queue and how long the stage took. */
async function timed<T>(metrics: PipelineMetrics, stage: EditStage, context: JobContext, run: () => Promise<T>): Promise<T> {
  metrics.queueWaited(stage, await context.queueWaitSeconds());
  const start = process.hrtime.bigint();
  const seconds = () => Number(process.hrtime.bigint() - start) / 1e9;
  try {
    const result = await run();
    metrics.stageFinished(stage, 'ok', seconds());
    return result;
  } catch (error) {
    metrics.stageFinished(stage, 'error', seconds());
    throw error;
  }
}

/** Representation keys from the extract children's results and the inputs cached at submit, in input order. */
function representationKeysOf(results: unknown[], cached: ReadonlyArray<{ inputIndex: number; representationKey: string }>, inputs: number): string[] {
  const keys: string[] = new Array(inputs);
  for (const result of [...results, ...cached]) {
    const { inputIndex, representationKey } = result as { inputIndex: number; representationKey: string };
    keys[inputIndex] = representationKey;
  }
  for (let i = 0; i < inputs; i++) {
    if (typeof keys[i] !== 'string') throw new FacexError('invalid_representation', `inputs[${i}]: no representation was extracted`, { field: `inputs[${i}]` });
  }
  return keys;
}

export function createStageHandlers(deps: StageDeps): JobHandlers {
  const { lifecycle, metrics, analyzer, generators } = deps;
  const handlers: JobHandlers = {};
  if (analyzer) {
    handlers.extract = async (payload, context) => {
      await lifecycle.begin(payload.editId, { stage: 'extract', step: 0, steps: 1 });
      const output = await timed(metrics, 'extract', context, () =>
        extractRepresentation({ ...deps, analyzer }, { ...payload, field: `inputs[${payload.inputIndex}]` }),
      );
      return { inputIndex: payload.inputIndex, ...output };
    };
    handlers.assemble = async (payload, context) => {
      await lifecycle.begin(payload.editId, { stage: 'assemble', step: 0, steps: 1 });
      // Cached at submit: a lookup (and an extraction only if the cache lost the representation meanwhile).
      const cached = await Promise.all(
        (payload.cachedInputs ?? []).map(async ({ inputIndex, assetSha256, faceIndex }) => {
          const request = { assetKey: payload.assetKeys[inputIndex], assetSha256, faceIndex, field: `inputs[${inputIndex}]` };
          return { inputIndex, ...(await extractRepresentation({ ...deps, analyzer }, request)) };
        }),
      );
      const representationKeys = representationKeysOf(await context.childResults(), cached, payload.assetKeys.length);
      return timed(metrics, 'assemble', context, () => assembleConditions(deps, { ...payload, representationKeys }));
    };
    handlers.faces = (payload) => listFaces({ ...deps, analyzer }, payload);
  }
  if (generators) {
    handlers.render = async (payload, context) => {
      // Progress counts what the generator really does: its sampling steps, or the one pass of a weight-free one.
      await lifecycle.begin(payload.editId, { stage: 'render', step: 0, steps: samples(payload.options.generator) ? payload.options.steps : 1 });
      const result = await timed(metrics, 'render', context, () =>
        renderResult({ ...deps, generators }, payload, {
          onStep: async (step, steps) => {
            metrics.generatorSteps(1);
            await lifecycle.progress(payload.editId, { stage: 'render', step, steps });
            await context.reportProgress({ stage: 'render', step, steps });
          },
        }),
      );
      // Canceled (or failed elsewhere) while rendering: the result must not outlive the edit.
      if (!(await lifecycle.complete(payload.editId, result))) await deps.blobs.delete(result.key);
      return { resultKey: result.key };
    };
  }
  return handlers;
}

/** A stage that failed for good fails its edit (once: the lifecycle's transition is atomic). */
export function failEditOnFinalFailure(lifecycle: EditLifecycle): FinalFailureHook {
  return async (name, editId, error) => {
    if (name === 'webhook' || editId === undefined) return;
    await lifecycle.fail(editId, error);
  };
}
