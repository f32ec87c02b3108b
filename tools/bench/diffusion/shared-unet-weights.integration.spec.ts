import { mkdtempSync, rmSync, statSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { SafetensorsFile } from '@facex/diffusion';
import { buildSharedUNet, sharedUNetBuildKey } from './shared-unet-weights';

describe('buildSharedUNet', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'facex-shared-unet-'));
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reuses a directory built with the same options and rebuilds when they differ', () => {
    const options = { size: 'tiny' as const, dir, seed: 3, attentions: ['contrib' as const], precision: 'float16' as const };
    const first = buildSharedUNet(options);
    const second = buildSharedUNet(options);
    expect([first.reused, second.reused]).toEqual([false, true]);
    expect(second.parameters).toBe(first.parameters);
    expect(buildSharedUNet({ ...options, precision: 'float32' }).reused).toBe(false);
  });

  it('writes fp16 graphs at about half the fp32 size and keeps the safetensors file F32', () => {
    const half = buildSharedUNet({ size: 'tiny', dir: join(dir, 'half'), seed: 3, attentions: ['matmul'], precision: 'float16' });
    const full = buildSharedUNet({ size: 'tiny', dir: join(dir, 'full'), seed: 3, attentions: ['matmul'] });
    const ratio = statSync(half.modelPaths.matmul as string).size / statSync(full.modelPaths.matmul as string).size;
    expect(ratio).toBeGreaterThan(0.45);
    expect(ratio).toBeLessThan(0.6);
    const file = SafetensorsFile.open(half.weightsPath);
    try {
      const key = 'model.diffusion_model.out.2.weight';
      expect(file.has(key)).toBe(true);
      expect(file.readFloat32(key, [4, 32, 3, 3])).toHaveLength(4 * 32 * 9);
    } finally {
      file.close();
    }
  });

  it('keys builds by everything their bytes depend on', () => {
    const base = { size: 'tiny' as const, seed: 0, attentions: ['matmul' as const] };
    expect(sharedUNetBuildKey(base)).toBe(sharedUNetBuildKey({ ...base, precision: 'float32' }));
    expect(sharedUNetBuildKey(base)).not.toBe(sharedUNetBuildKey({ ...base, precision: 'float16' }));
    expect(sharedUNetBuildKey(base)).not.toBe(sharedUNetBuildKey({ ...base, seed: 1 }));
    expect(sharedUNetBuildKey(base)).not.toBe(sharedUNetBuildKey({ ...base, attentions: ['contrib'] }));
  });
});
