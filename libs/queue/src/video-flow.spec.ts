import { JOB_PAYLOAD_SCHEMAS, newEditRecord, recipeFromPreset, type VideoProbe } from '@facex/contracts';
import { KEEP_COMPLETED, KEEP_FAILED } from './queues';
import { videoFlowTree } from './video-flow';

const PHOTO = 'a'.repeat(64);
const VIDEO = 'b'.repeat(64);
const probe: VideoProbe = {
  container: 'mp4',
  videoCodec: 'h264',
  width: 320,
  height: 240,
  fps: { num: 10, den: 1 },
  frameCount: 25,
  durationSeconds: 2.5,
  audio: { codec: 'aac', sampleRate: 44100, channels: 1 },
};

const edit = newEditRecord({
  tenant: 'key_video',
  recipe: recipeFromPreset({ preset: 'face-swap', source: 0, target: 1 }),
  inputs: [
    { assetId: PHOTO, faceIndex: 0 },
    { assetId: VIDEO, faceIndex: 1 },
  ],
  options: { generator: 'warp', steps: 1, guidance: 1, resolution: 512 },
});

describe('videoFlowTree', () => {
  const tree = videoFlowTree(edit, probe, 1, { prefix: 'test' });

  it('is a mux over one chunk job per chunk, on the video queue, with deterministic ids', () => {
    expect(tree).toMatchObject({ name: 'video-mux', queueName: 'facex-video', prefix: 'test', opts: { jobId: `${edit.id}.video-mux` } });
    expect(tree.children?.map((child) => [child.name, child.opts?.jobId, child.data.chunk])).toEqual([
      ['video-chunk', `${edit.id}.video-chunk.0`, { index: 0, startFrame: 0, frameCount: 10 }],
      ['video-chunk', `${edit.id}.video-chunk.1`, { index: 1, startFrame: 10, frameCount: 10 }],
      ['video-chunk', `${edit.id}.video-chunk.2`, { index: 2, startFrame: 20, frameCount: 5 }],
    ]);
  });

  it('puts the chunks of a diffusion edit on the gpu queue (where the pack is) with the sampling options; the mux stays on video', () => {
    const diffusion = { ...edit, options: { ...edit.options, generator: 'diffusion' as const, steps: 8, guidance: 5, resolution: 256 as const, seed: 7 } };
    const sampled = videoFlowTree(diffusion, probe, 1);
    expect(sampled.queueName).toBe('facex-video');
    expect(sampled.children?.map((child) => child.queueName)).toEqual(['facex-gpu', 'facex-gpu', 'facex-gpu']);
    expect(sampled.children?.[0].data.options).toEqual({ generator: 'diffusion', seed: 7, steps: 8, guidance: 5, resolution: 256 });
    expect(tree.children?.map((child) => child.queueName)).toEqual(['facex-video', 'facex-video', 'facex-video']);
    for (const child of [...(sampled.children ?? []), ...(tree.children ?? [])])
      expect(JOB_PAYLOAD_SCHEMAS['video-chunk'].safeParse(child.data).success).toBe(true);
  });

  it('gives every chunk a failure policy that fails the mux, retries and bounded retention', () => {
    for (const child of tree.children ?? []) {
      expect(child.opts).toMatchObject({ failParentOnFailure: true, attempts: 3, removeOnComplete: KEEP_COMPLETED, removeOnFail: KEEP_FAILED });
    }
  });

  it('passes storage keys, never bytes: the assets, each chunk key and the result key', () => {
    expect(tree.children?.[1].data).toMatchObject({
      photoAssetKey: `assets/${PHOTO}`,
      videoAssetKey: `assets/${VIDEO}`,
      videoFaceIndex: 1,
      chunkKey: `video-chunks/${edit.id}/1.mp4`,
    });
    expect(tree.data).toMatchObject({ chunkKeys: [0, 1, 2].map((i) => `video-chunks/${edit.id}/${i}.mp4`), resultKey: `results/${edit.id}.mp4` });
  });

  it('cuts the driving video of a reenact, the photo being its source', () => {
    const reenact = { ...edit, recipe: recipeFromPreset({ preset: 'reenact', source: 0, driving: 1 }) };
    const children = videoFlowTree(reenact, probe, 1).children ?? [];
    expect(children).toHaveLength(3);
    expect(children[0].data).toMatchObject({ photoAssetKey: `assets/${PHOTO}`, videoAssetKey: `assets/${VIDEO}`, videoFaceIndex: 1, recipe: reenact.recipe });
  });

  it('refuses a task that takes no video', () => {
    const inpaint = { ...edit, recipe: recipeFromPreset({ preset: 'inpaint', image: 0, regions: ['nose'], userMask: false }) };
    expect(() => videoFlowTree(inpaint, probe, 1)).toThrow('inpaint takes no video');
  });
});
