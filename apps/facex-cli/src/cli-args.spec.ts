import { CliUsageError, editRequestOf, parseCliArgs } from './cli-args';
import { progressFraction, progressLine } from './progress-bar';

describe('parseCliArgs', () => {
  it('reads an edit command with its options, rendering with the warp unless told otherwise', () => {
    const command = parseCliArgs(['edit', '--task', 'face-swap', '--source', 'a.jpg', '--target', 'b.jpg', '-o', 'out.png', '--seed', '7']);
    expect(command).toEqual({ kind: 'edit', task: 'face-swap', inputs: ['a.jpg', 'b.jpg'], output: 'out.png', options: { generator: 'warp', seed: 7 } });
    if (command.kind !== 'edit') throw new Error('expected edit');
    expect(editRequestOf(command, ['x', 'y'])).toEqual({
      task: { preset: 'face-swap', source: 0, target: 1 },
      inputs: [{ assetId: 'x', faceIndex: 0 }, { assetId: 'y', faceIndex: 0 }],
      options: { generator: 'warp', seed: 7 },
    });
    expect(parseCliArgs(['edit', '--task', 'face-swap', '--source', 'a', '--target', 'b', '-o', 'o', '--generator', 'reference'])).toMatchObject({ options: { generator: 'reference' } });
  });

  it('takes --driving for reenact and reads keys create', () => {
    expect(parseCliArgs(['edit', '--task', 'reenact', '--source', 'a', '--driving', 'b', '-o', 'o'])).toMatchObject({ inputs: ['a', 'b'] });
    expect(parseCliArgs(['keys', 'create', '--name', 'ci'])).toEqual({ kind: 'keys-create', name: 'ci', admin: false });
    expect(parseCliArgs(['keys', 'create', '--name', 'ops', '--admin', 'true'])).toEqual({ kind: 'keys-create', name: 'ops', admin: true });
    expect(parseCliArgs(['keys', 'list'])).toEqual({ kind: 'keys-list' });
    expect(parseCliArgs(['keys', 'revoke', `key_${'a'.repeat(20)}`])).toEqual({ kind: 'keys-revoke', id: `key_${'a'.repeat(20)}` });
    expect(() => parseCliArgs(['keys', 'revoke', 'nope'])).toThrow(/key id/);
  });

  it('takes --image with --regions and/or --mask for inpaint, the mask as its own asset', () => {
    const command = parseCliArgs(['edit', '--task', 'inpaint', '--image', 'a.jpg', '--regions', 'nose, lips', '--mask', 'm.png', '-o', 'o.png']);
    expect(command).toMatchObject({ task: 'inpaint', inputs: ['a.jpg'], regions: ['nose', 'lips'], mask: 'm.png' });
    if (command.kind !== 'edit') throw new Error('expected edit');
    expect(editRequestOf(command, ['x'], 'm')).toEqual({
      task: { preset: 'inpaint', image: 0, regions: ['nose', 'lips'], userMask: true },
      inputs: [{ assetId: 'x', faceIndex: 0 }],
      mask: { assetId: 'm' },
      options: { generator: 'warp' },
    });
    expect(() => parseCliArgs(['edit', '--task', 'inpaint', '--image', 'a.jpg', '-o', 'o.png'])).toThrow(/--regions, --mask/);
    expect(() => parseCliArgs(['edit', '--task', 'face-swap', '--source', 'a', '--target', 'b', '-o', 'o', '--mask', 'm.png'])).toThrow(/--mask/);
  });

  it('names the flag at fault', () => {
    expect(() => parseCliArgs(['edit', '--task', 'face-swap', '--source', 'a'])).toThrow(CliUsageError);
    expect(() => parseCliArgs(['edit', '--task', 'face-swap', '--source', 'a', '--target', 'b', '-o', 'o', '--colour', 'red'])).toThrow(/--colour/);
    expect(() => parseCliArgs(['edit', '--task', 'face-swap', '--source', 'a', '--target', 'b', '-o', 'o', '--steps', '-1'])).toThrow(/--steps/);
  });
});

describe('progress bar', () => {
  it('fills by stage and step, and is full when completed', () => {
    expect(progressFraction({ status: 'queued', progress: null })).toBe(0);
    expect(progressFraction({ status: 'running', progress: { stage: 'render', step: 15, steps: 30 } })).toBeCloseTo(0.75);
    expect(progressLine({ status: 'completed', progress: null }, 4)).toBe('[####] 100% completed');
  });
});
