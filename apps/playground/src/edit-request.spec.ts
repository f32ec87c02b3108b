import { editRequestOf, missingOf, type EditForm } from './edit-request';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);
const form = (overrides: Partial<EditForm>): EditForm => ({
  task: 'face-swap',
  roles: {},
  faces: {},
  regions: [],
  mode: 'mask-out',
  generator: undefined,
  motion: {},
  ...overrides,
});

describe('editRequestOf', () => {
  it('puts the roles in recipe order with their picked faces', () => {
    expect(editRequestOf(form({ roles: { source: A, target: B }, faces: { target: 2 }, generator: 'warp' }))).toEqual({
      task: { preset: 'face-swap', source: 0, target: 1 },
      inputs: [
        { assetId: A, faceIndex: 0 },
        { assetId: B, faceIndex: 2 },
      ],
      options: { generator: 'warp' },
    });
  });

  it('keeps only the regions the task takes, and sends motion controls when there are any', () => {
    const body = editRequestOf(form({ task: 'face-swap', roles: { source: A, target: B }, regions: ['lips', 'hair'], motion: { yaw: 10 } }));
    expect(body).toMatchObject({ task: { regions: ['lips'] }, motion: { yaw: 10 } });
    expect(editRequestOf(form({ task: 'attribute-edit', roles: { target: A }, regions: ['hair'], mode: 'add-new' })).task).toEqual({
      preset: 'attribute-edit',
      target: 0,
      regions: ['hair'],
      mode: 'add-new',
    });
    expect(editRequestOf(form({ task: 'reenact', roles: { source: B, driving: A } })).inputs.map((input) => input.assetId)).toEqual([B, A]);
    // Two faces of one group photo: each role has its own face.
    expect(editRequestOf(form({ roles: { source: A, target: A }, faces: { source: 1, target: 0 } })).inputs).toEqual([
      { assetId: A, faceIndex: 1 },
      { assetId: A, faceIndex: 0 },
    ]);
  });

  it('edits motion alone as a one-photo mixture, sending only the controls that moved', () => {
    expect(missingOf(form({ task: 'motion', roles: { frame: A }, motion: { yaw: 0 } }))).toBe('Move at least one motion control.');
    expect(editRequestOf(form({ task: 'motion', roles: { frame: A }, faces: { frame: 1 }, motion: { yaw: 0, smile: 0.1 } }))).toEqual({
      task: { preset: 'mixture', frame: 0 },
      inputs: [{ assetId: A, faceIndex: 1 }],
      motion: { smile: 0.1 },
    });
  });

  it('says what is missing instead of sending an incomplete edit', () => {
    expect(missingOf(form({ roles: { source: A } }))).toBe('Choose a photo for “Onto photo”.');
    expect(missingOf(form({ task: 'inpaint', roles: { image: A } }))).toBe('Choose at least one region.');
    expect(() => editRequestOf(form({ task: 'inpaint', roles: { image: A } }))).toThrow('Choose at least one region.');
    expect(missingOf(form({ task: 'inpaint', roles: { image: A }, regions: ['nose'] }))).toBeNull();
  });
});
