/**
 * One BullMQ flow per edit: render (gpu) ← assemble (cpu) × chosen faces ← extract × inputs (cpu), where an
 * input whose representation is already cached gets no extract job (each job costs about ten Redis commands at
 * submit). Every child fails its parent on failure (a failed input fails the edit instead of leaving render
 * waiting forever), and every job id is derived from the edit id, so adding the same edit twice adds no second
 * flow.
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

/**
 * The flow tree of an edit (pure: no Redis); `cachedInputs` are the input indexes whose representation (of the
 * input's own face) is cached and need no extraction. A multi-face edit (`targetFaces`) assembles each chosen
 * face of the frame input beside the others (one assemble, with its own extracts, per face: the frame input
 * takes the chosen face, whose cache state is not known here, so it is extracted unless it is the input's own
 * face) and renders them in one render job, which composites them into one image.
 */
export function editFlowTree(edit: EditRecord, options: EditFlowOptions = {}, cachedInputs: readonly number[] = []): FlowJob {
  const assetKeys = edit.inputs.map((input) => assetKey(input.assetId));
  const frame = outputFrameInput(edit.recipe.task);
  const faces = edit.targetFaces ?? [edit.inputs[frame].faceIndex];
  const mask = edit.mask ? { maskAssetKey: assetKey(edit.mask.assetId) } : {};
  const prefixOf = (slot: number) => (slot === 0 ? conditionsPrefix(edit.id) : `${conditionsPrefix(edit.id)}face-${slot}/`);
  const assembles = faces.map((face, slot) => {
    const faceOf = (inputIndex: number) => (inputIndex === frame ? face : edit.inputs[inputIndex].faceIndex);
    const cached = new Set(cachedInputs.filter((inputIndex) => faceOf(inputIndex) === edit.inputs[inputIndex].faceIndex));
    const extracts = edit.inputs.flatMap((input, inputIndex) =>
      cached.has(inputIndex)
        ? []
        : [
            job(
              'extract',
              { editId: edit.id, inputIndex, assetKey: assetKeys[inputIndex], assetSha256: input.assetId, faceIndex: faceOf(inputIndex) },
              editJobId(edit.id, 'extract', inputIndex, slot),
              options,
              true,
            ),
          ],
    );
    const cachedPayload = edit.inputs.flatMap((input, inputIndex) =>
      cached.has(inputIndex) ? [{ inputIndex, assetSha256: input.assetId, faceIndex: input.faceIndex }] : [],
    );
    const assemble = job(
      'assemble',
      {
        editId: edit.id,
        recipe: edit.recipe,
        assetKeys,
        ...mask,
        conditionsPrefix: prefixOf(slot),
        ...(cachedPayload.length > 0 ? { cachedInputs: cachedPayload } : {}),
      },
      editJobId(edit.id, 'assemble', undefined, slot),
      options,
      true,
    );
    return extracts.length > 0 ? { ...assemble, children: extracts } : assemble;
  });
  const { webhookUrl: _omitted, ...renderOptions } = edit.options;
  const render = job(
    'render',
    {
      editId: edit.id,
      tenant: edit.tenant,
      conditionsPrefix: prefixOf(0),
      frameAssetKey: assetKeys[frame],
      options: renderOptions,
      resultKey: resultKey(edit.id, edit.options.output?.format ?? 'png'),
      ...(faces.length > 1 ? { moreConditionsPrefixes: faces.slice(1).map((_, k) => prefixOf(k + 1)) } : {}),
    },
    editJobId(edit.id, 'render'),
    options,
    false,
  );
  return { ...render, children: assembles };
}

export function createEditFlow(
  flowProducer: FlowProducer,
  edit: EditRecord,
  options: EditFlowOptions = {},
  cachedInputs: readonly number[] = [],
): Promise<JobNode> {
  return flowProducer.add(editFlowTree(edit, options, cachedInputs));
}
