/**
 * One BullMQ flow per edit: render (gpu) ← assemble (cpu) ← extract × inputs (cpu), where an input whose
 * representation is already cached gets no extract job (each job costs about ten Redis commands at submit).
 * Every child fails its parent on failure (a failed input fails the edit instead of leaving render waiting
 * forever), and every job id is derived from the edit id, so adding the same edit twice adds no second flow.
 */
import type { FlowJob, FlowProducer, JobNode } from 'bullmq';
import { QUEUE_OF_JOB, editJobId, outputFrameInput, type EditRecord, type JobName, type JobPayloads } from '@facex/contracts';
import { assetKey, conditionsPrefix, resultKey } from '@facex/storage';
import { jobOptions, QUEUE_NAMES, type RetryPolicy } from './queues';

export interface EditFlowOptions {
  /** BullMQ key prefix (one per deployment or test). */
  prefix?: string;
  retry?: Partial<Record<JobName, RetryPolicy>>;
}

function job<N extends JobName>(name: N, data: JobPayloads[N], jobId: string, options: EditFlowOptions, child: boolean): FlowJob {
  return {
    name,
    data,
    queueName: QUEUE_NAMES[QUEUE_OF_JOB[name]],
    ...(options.prefix ? { prefix: options.prefix } : {}),
    opts: { ...jobOptions(name, options.retry), jobId, ...(child ? { failParentOnFailure: true } : {}) },
  };
}

/** The flow tree of an edit (pure: no Redis); `cachedInputs` are the input indexes needing no extraction. */
export function editFlowTree(edit: EditRecord, options: EditFlowOptions = {}, cachedInputs: readonly number[] = []): FlowJob {
  const assetKeys = edit.inputs.map((input) => assetKey(input.assetId));
  const cached = new Set(cachedInputs);
  const extracts = edit.inputs.flatMap((input, inputIndex) =>
    cached.has(inputIndex)
      ? []
      : [job('extract', { editId: edit.id, inputIndex, assetKey: assetKeys[inputIndex], assetSha256: input.assetId, faceIndex: input.faceIndex }, editJobId(edit.id, 'extract', inputIndex), options, true)],
  );
  const cachedPayload = edit.inputs.flatMap((input, inputIndex) => (cached.has(inputIndex) ? [{ inputIndex, assetSha256: input.assetId, faceIndex: input.faceIndex }] : []));
  const prefix = conditionsPrefix(edit.id);
  const mask = edit.mask ? { maskAssetKey: assetKey(edit.mask.assetId) } : {};
  const assemble = job(
    'assemble',
    { editId: edit.id, recipe: edit.recipe, assetKeys, ...mask, conditionsPrefix: prefix, ...(cachedPayload.length > 0 ? { cachedInputs: cachedPayload } : {}) },
    editJobId(edit.id, 'assemble'),
    options,
    true,
  );
  const { webhookUrl: _omitted, ...renderOptions } = edit.options;
  const render = job(
    'render',
    {
      editId: edit.id,
      tenant: edit.tenant,
      conditionsPrefix: prefix,
      frameAssetKey: assetKeys[outputFrameInput(edit.recipe.task)],
      options: renderOptions,
      resultKey: resultKey(edit.id, 'png'),
    },
    editJobId(edit.id, 'render'),
    options,
    false,
  );
  return { ...render, children: [extracts.length > 0 ? { ...assemble, children: extracts } : assemble] };
}

export function createEditFlow(flowProducer: FlowProducer, edit: EditRecord, options: EditFlowOptions = {}, cachedInputs: readonly number[] = []): Promise<JobNode> {
  return flowProducer.add(editFlowTree(edit, options, cachedInputs));
}
