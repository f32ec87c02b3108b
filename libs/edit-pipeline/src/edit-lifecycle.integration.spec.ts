/** Status transitions on real Redis: terminal events fire exactly once, even when workers race. */
import { newEditRecord, recipeFromPreset, FacexError } from '@facex/contracts';
import { createRedis } from '@facex/queue';
import { TEST_REDIS_URL, deleteNamespace, testPrefix } from '@facex/queue/testing';
import { EditLifecycle, EditNotActiveError } from './edit-lifecycle';
import { EditRepository } from './repositories/edit-repository';
import type { EditEventType } from '@facex/contracts';

const prefix = testPrefix('lifecycle');
const redis = createRedis(TEST_REDIS_URL);
const edits = new EditRepository(redis, `${prefix}:`);
const events: EditEventType[] = [];
const lifecycle = new EditLifecycle(edits, { emit: async (_edit, type) => void events.push(type) });

const record = () =>
  newEditRecord({
    tenant: 'key_1',
    recipe: recipeFromPreset({ preset: 'inpaint', image: 0, regions: [], userMask: true }),
    inputs: [{ assetId: 'a'.repeat(64), faceIndex: 0 }],
    options: { generator: 'reference', steps: 4, guidance: 1, resolution: 256 },
  });

afterAll(async () => {
  await deleteNamespace(redis, prefix);
  await redis.quit();
});

beforeEach(() => {
  events.length = 0;
});

it('stores a record once and reads it back intact (empty arrays included)', async () => {
  const edit = record();
  expect(await edits.create(edit)).toBe(true);
  expect(await edits.create({ ...edit, tenant: 'other' })).toBe(false);
  expect(await edits.get(edit.id)).toEqual(edit);
});

it('emits one terminal event when a completion, a failure and a cancel race', async () => {
  const edit = record();
  await edits.create(edit);
  await lifecycle.begin(edit.id, { stage: 'render', step: 0, steps: 4 });
  const result = {
    key: `results/${edit.id}.png`,
    contentType: 'image/png' as const,
    generator: 'reference' as const,
    modelPack: null,
    expiresAt: new Date().toISOString(),
  };
  const outcomes = await Promise.all([lifecycle.complete(edit.id, result), lifecycle.fail(edit.id, new Error('x')), lifecycle.cancel(edit.id)]);
  expect(outcomes.filter((o) => o !== null)).toHaveLength(1);
  expect(events).toHaveLength(1);
});

it('stops a stage of a canceled edit with a non-retryable error', async () => {
  const edit = record();
  await edits.create(edit);
  await lifecycle.cancel(edit.id);
  await expect(lifecycle.progress(edit.id, { stage: 'render', step: 2, steps: 4 })).rejects.toBeInstanceOf(EditNotActiveError);
  await expect(lifecycle.begin(edit.id, { stage: 'extract', step: 0, steps: 1 })).rejects.toMatchObject({ retryable: false });
  expect(events).toEqual(['edit.canceled']);
});

it('records the failure as a problem naming the field', async () => {
  const edit = record();
  await edits.create(edit);
  const failed = await lifecycle.fail(edit.id, new FacexError('no_face', 'inputs[0]: no face', { field: 'inputs[0]' }));
  expect(failed).toMatchObject({ status: 'failed', error: { code: 'no_face', field: 'inputs[0]' } });
  expect(await lifecycle.fail(edit.id, new Error('again'))).toBeNull();
  expect(events).toEqual(['edit.failed']);
});
