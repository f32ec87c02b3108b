import { CliUsageError, editRequestOf, parseCliArgs } from './cli-args';
import { progressFraction, progressLine, VIDEO_EDIT_SHARES } from './progress-bar';

describe('parseCliArgs', () => {
  it('reads an edit command with its options, rendering with the warp unless told otherwise', () => {
    const command = parseCliArgs(['edit', '--task', 'face-swap', '--source', 'a.jpg', '--target', 'b.jpg', '-o', 'out.png', '--seed', '7']);
    expect(command).toEqual({ kind: 'edit', task: 'face-swap', inputs: ['a.jpg', 'b.jpg'], output: 'out.png', options: { generator: 'warp', seed: 7 } });
    if (command.kind !== 'edit') throw new Error('expected edit');
    expect(editRequestOf(command, ['x', 'y'])).toEqual({
      task: { preset: 'face-swap', source: 0, target: 1 },
      inputs: [
        { assetId: 'x', faceIndex: 0 },
        { assetId: 'y', faceIndex: 0 },
      ],
      options: { generator: 'warp', seed: 7 },
    });
    expect(parseCliArgs(['edit', '--task', 'face-swap', '--source', 'a', '--target', 'b', '-o', 'o', '--generator', 'reference'])).toMatchObject({
      options: { generator: 'reference' },
    });
  });

  it('takes how a driving video moves the photo (--driving-motion) into the reenact task, and refuses another mode', () => {
    const command = parseCliArgs(['edit', '--task', 'reenact', '--source', 'a', '--driving', 'clip.mp4', '-o', 'o.mp4', '--driving-motion', 'absolute']);
    expect(command).toMatchObject({ drivingMotion: 'absolute' });
    if (command.kind !== 'edit') throw new Error('expected edit');
    expect(editRequestOf(command, ['x', 'y'])).toMatchObject({ task: { preset: 'reenact', source: 0, driving: 1, motion: 'absolute' } });
    expect(() => parseCliArgs(['edit', '--task', 'reenact', '--source', 'a', '--driving', 'b', '-o', 'o', '--driving-motion', 'sideways'])).toThrow(
      /--driving-motion: expected relative or absolute/,
    );
    expect(() => parseCliArgs(['edit', '--task', 'face-swap', '--source', 'a', '--target', 'b', '-o', 'o', '--driving-motion', 'relative'])).toThrow(
      /unknown flag --driving-motion/,
    );
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

  it('reads --motion controls for any task, and a motion-only edit of one image', () => {
    const command = parseCliArgs(['edit', '--task', 'face-swap', '--source', 'a', '--target', 'b', '-o', 'o', '--motion', 'yaw=10, smile=0.5']);
    expect(command).toMatchObject({ motion: { mode: 'relative', values: { yaw: 10, smile: 0.5 } } });
    if (command.kind !== 'edit') throw new Error('expected edit');
    expect(editRequestOf(command, ['x', 'y'])).toMatchObject({ task: { preset: 'face-swap' }, motion: { mode: 'relative', yaw: 10, smile: 0.5 } });
    const alone = parseCliArgs(['edit', '--task', 'motion', '--image', 'a', '-o', 'o', '--motion', 'eyeOpen=0', '--motion-mode', 'absolute']);
    if (alone.kind !== 'edit') throw new Error('expected edit');
    expect(editRequestOf(alone, ['x'])).toMatchObject({
      task: { preset: 'mixture', frame: 0 },
      inputs: [{ assetId: 'x' }],
      motion: { mode: 'absolute', eyeOpen: 0 },
    });
    // Values are the API's to check: a non-number reaches it as NaN and is refused there, naming the control.
    expect(parseCliArgs(['edit', '--task', 'motion', '--image', 'a', '-o', 'o', '--motion', 'yaw=left'])).toMatchObject({
      motion: { values: { yaw: Number.NaN } },
    });
    expect(() => parseCliArgs(['edit', '--task', 'motion', '--image', 'a', '-o', 'o'])).toThrow(/--motion/);
    expect(() => parseCliArgs(['edit', '--task', 'motion', '--image', 'a', '-o', 'o', '--motion', 'yaw'])).toThrow(/control=value/);
  });

  it('reads --faces all, an index, or reference with its photo and face', () => {
    const base = ['edit', '--task', 'face-swap', '--source', 'a', '--target', 'b', '-o', 'o'];
    const all = parseCliArgs([...base, '--faces', 'all', '--sort', 'left-to-right']);
    if (all.kind !== 'edit') throw new Error('expected edit');
    expect(editRequestOf(all, ['x', 'y'])).toMatchObject({ faces: { mode: 'all', sort: 'left-to-right' } });
    expect(parseCliArgs([...base, '--faces', '2'])).toMatchObject({ faces: { mode: 'index', index: 2, sort: 'largest-first' } });
    const byReference = parseCliArgs([...base, '--faces', 'reference', '--reference', 'r.jpg', '--reference-face', '1']);
    if (byReference.kind !== 'edit') throw new Error('expected edit');
    expect(editRequestOf(byReference, ['x', 'y'], undefined, 'r')).toMatchObject({ faces: { mode: 'reference', reference: { assetId: 'r', faceIndex: 1 } } });
    expect(() => parseCliArgs([...base, '--faces', 'reference'])).toThrow(/--reference/);
    expect(() => parseCliArgs([...base, '--faces', 'some'])).toThrow(/--faces/);
    expect(() => parseCliArgs([...base, '--sort', 'left-to-right'])).toThrow(/--faces/);
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
    // A video edit counts its rendered frames from the start of the bar.
    expect(progressFraction({ status: 'running', progress: { stage: 'render', step: 15, steps: 30 } }, VIDEO_EDIT_SHARES)).toBeCloseTo(0.5);
  });
});

describe('HTTP mode', () => {
  const edit = ['edit', '--task', 'face-swap', '--source', 'a.jpg', '--target', 'b.jpg', '-o', 'out.png'];

  it('names a gateway with --url/--key or FACEX_URL/FACEX_API_KEY (flags win) and leaves the generator to it', () => {
    expect(parseCliArgs([...edit, '--url', 'http://gw:3000', '--key', 'fx_a'])).toMatchObject({ remote: { url: 'http://gw:3000', key: 'fx_a' }, options: {} });
    expect(parseCliArgs(edit, { FACEX_URL: 'http://env:3000', FACEX_API_KEY: 'fx_env' })).toMatchObject({ remote: { url: 'http://env:3000', key: 'fx_env' } });
    expect(parseCliArgs([...edit, '--key', 'fx_flag'], { FACEX_URL: 'http://env:3000', FACEX_API_KEY: 'fx_env' })).toMatchObject({
      remote: { url: 'http://env:3000', key: 'fx_flag' },
    });
    expect(parseCliArgs([...edit, '--url', 'http://gw:3000', '--key', 'fx_a', '--generator', 'warp'])).toMatchObject({ options: { generator: 'warp' } });
    expect(parseCliArgs(edit)).not.toHaveProperty('remote');
  });

  it('refuses a URL without a key and a key without a URL', () => {
    expect(() => parseCliArgs([...edit, '--url', 'http://gw:3000'])).toThrow('--url needs --key (or FACEX_API_KEY)');
    expect(() => parseCliArgs([...edit, '--key', 'fx_a'])).toThrow('--key needs --url (or FACEX_URL)');
  });
});
