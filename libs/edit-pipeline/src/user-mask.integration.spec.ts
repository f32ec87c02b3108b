import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { FacexError } from '@facex/contracts';
import { FsBlobStore } from '@facex/storage';
import { loadUserMask } from './user-mask';

let dir: string;
let blobs: FsBlobStore;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'facex-user-mask-'));
  blobs = new FsBlobStore(dir);
  // 64 × 48, black, with a white 16 × 8 block at (8, 4).
  const png = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#000000' } })
    .composite([{ input: { create: { width: 16, height: 8, channels: 3, background: '#ffffff' } }, left: 8, top: 4 }])
    .png()
    .toBuffer();
  await blobs.put('assets/mask', png, { contentType: 'image/png' });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('loadUserMask', () => {
  it('reads the uploaded image as its luma: white where the image is regenerated', async () => {
    const mask = await loadUserMask(blobs, 'assets/mask', { width: 64, height: 48 });
    expect([mask.width, mask.height]).toEqual([64, 48]);
    expect([mask.data[6 * 64 + 10], mask.data[30 * 64 + 40]]).toEqual([255, 0]);
  });

  it("refuses a mask that is not the inpainted image's size, naming the request's `mask` field", async () => {
    const attempt = loadUserMask(blobs, 'assets/mask', { width: 640, height: 480 });
    await expect(attempt).rejects.toBeInstanceOf(FacexError);
    await expect(attempt).rejects.toMatchObject({ code: 'invalid_recipe', details: { field: 'mask' }, message: expect.stringMatching(/64×48.*640×480/) });
  });
});
