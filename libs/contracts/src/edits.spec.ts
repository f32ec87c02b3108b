import { EDIT_ID_PATTERN, EditRecordSchema, defaultGenerator, editErrorOf, newEditId, newEditRecord, parseCreateEditRequest } from './edits';
import { FacexError } from './errors';

const SHA = 'a'.repeat(64);
const SHA2 = 'b'.repeat(64);

describe('edit ids', () => {
  it('are ed_ + 26 base32 characters, distinct, without ":"', () => {
    const ids = new Set(Array.from({ length: 100 }, newEditId));
    expect(ids.size).toBe(100);
    for (const id of ids) expect(id).toMatch(EDIT_ID_PATTERN);
  });
});

describe('parseCreateEditRequest', () => {
  const inputs = [{ assetId: SHA }, { assetId: SHA2, faceIndex: 1 }];

  it('derives the recipe from a preset and fills option defaults', () => {
    const { recipe, inputs: parsed, options } = parseCreateEditRequest({ task: { preset: 'face-swap', source: 0, target: 1 }, inputs });
    expect([recipe.components.identity, recipe.components.hair, recipe.inputs]).toEqual([0, 1, 2]);
    expect(parsed).toEqual([
      { assetId: SHA, faceIndex: 0 },
      { assetId: SHA2, faceIndex: 1 },
    ]);
    expect(options).toEqual({ steps: 30, guidance: 7.5, resolution: 512 });
  });

  it('leaves the generator to the deployment: warp where served, else reference', () => {
    expect(defaultGenerator(['reference', 'warp', 'diffusion'])).toBe('warp');
    expect(defaultGenerator(['reference', 'diffusion'])).toBe('reference');
    expect(defaultGenerator(['diffusion'])).toBeUndefined();
    expect(parseCreateEditRequest({ task: { preset: 'face-swap', source: 0, target: 1 }, inputs, options: { generator: 'diffusion' } }).options.generator).toBe(
      'diffusion',
    );
  });

  it('takes a user mask with an inpaint recipe that asks for one, and records it', () => {
    const {
      recipe,
      inputs: parsed,
      mask,
      options,
    } = parseCreateEditRequest({ task: { preset: 'inpaint', image: 0, regions: [], userMask: true }, inputs: [{ assetId: SHA }], mask: { assetId: SHA2 } });
    expect(mask).toEqual({ assetId: SHA2 });
    expect(newEditRecord({ tenant: 'key_1', recipe, inputs: parsed, mask, options: { ...options, generator: 'warp' } }).mask).toEqual({ assetId: SHA2 });
    expect(parseCreateEditRequest({ task: { preset: 'face-swap', source: 0, target: 1 }, inputs }).mask).toBeNull();
  });

  it('applies picks on top of the preset', () => {
    const { recipe } = parseCreateEditRequest({ task: { preset: 'face-swap', source: 0, target: 1 }, picks: { hair: 0 }, inputs });
    expect(recipe.components.hair).toBe(0);
  });

  it.each([
    [{ task: { preset: 'face-swap', source: 0, target: 1 }, inputs, extra: 1 }, 'extra', /unknown field/],
    [{ inputs }, 'task', /exactly one/],
    [{ task: { preset: 'face-swap', source: 0, target: 1 }, inputs: [{ assetId: 'nope' }, { assetId: SHA2 }] }, 'inputs[0].assetId', /./],
    [{ task: { preset: 'face-swap', source: 0, target: 1 }, inputs, options: { resolution: 300 } }, 'options.resolution', /./],
    [{ task: { preset: 'face-swap', source: 0, target: 1 }, inputs, options: { webhookUrl: 'ftp://x.org/' } }, 'options.webhookUrl', /./],
    [{ task: { preset: 'face-swap', source: 0, target: 2 }, inputs }, 'inputs', /combines 3 inputs but 2/],
    [{ task: { preset: 'inpaint', image: 0, regions: [], userMask: true }, inputs: [{ assetId: SHA }] }, 'mask', /asks for a user mask/],
    [
      { task: { preset: 'inpaint', image: 0, regions: ['lips'], userMask: false }, inputs: [{ assetId: SHA }], mask: { assetId: SHA2 } },
      'mask',
      /userMask: true/,
    ],
    [{ task: { preset: 'inpaint', image: 0, regions: [], userMask: true }, inputs: [{ assetId: SHA }], mask: { assetId: 'nope' } }, 'mask.assetId', /./],
  ])('rejects %j naming %s', (body, field, message) => {
    let error: unknown;
    try {
      parseCreateEditRequest(body);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(FacexError);
    expect((error as FacexError).details['field']).toBe(field);
    expect((error as FacexError).message).toMatch(message);
  });
});

describe('edit records', () => {
  it('start queued, validate against the schema, and carry problem-like errors', () => {
    const { recipe, inputs, options } = parseCreateEditRequest({
      task: { preset: 'reenact', source: 0, driving: 1 },
      inputs: [{ assetId: SHA }, { assetId: SHA2 }],
    });
    const record = newEditRecord({ tenant: 'key_1', recipe, inputs, options: { ...options, generator: 'warp' }, now: new Date('2026-01-01T00:00:00Z') });
    expect(EditRecordSchema.parse(record)).toEqual(record);
    expect([record.status, record.createdAt]).toEqual(['queued', '2026-01-01T00:00:00.000Z']);
    expect(editErrorOf(new FacexError('no_face', 'inputs[0]: none', { field: 'inputs[0]' }))).toEqual({
      code: 'no_face',
      title: 'No face found',
      detail: 'inputs[0]: none',
      field: 'inputs[0]',
      retryable: false,
    });
    expect(editErrorOf(new Error('boom'))).toMatchObject({ code: 'internal', retryable: true });
  });
});
