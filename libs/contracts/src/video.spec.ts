import { planChunks, videoInputOf, videoRoleOf } from './video';

describe('planChunks', () => {
  it('cuts chunks of the given seconds with the remainder in the last', () => {
    expect(planChunks(130, { num: 25, den: 1 }, 2)).toEqual([
      { index: 0, startFrame: 0, frameCount: 50 },
      { index: 1, startFrame: 50, frameCount: 50 },
      { index: 2, startFrame: 100, frameCount: 30 },
    ]);
  });

  it('covers every frame exactly once at a fractional rate', () => {
    const chunks = planChunks(1001, { num: 30000, den: 1001 }, 2);
    expect(chunks.reduce((sum, chunk) => sum + chunk.frameCount, 0)).toBe(1001);
    chunks.slice(1).forEach((chunk, i) => expect(chunk.startFrame).toBe(chunks[i].startFrame + chunks[i].frameCount));
  });

  it('refuses an empty video', () => {
    expect(() => planChunks(0, { num: 25, den: 1 })).toThrow('positive');
  });
});

describe('videoRoleOf', () => {
  it('takes the target of a face swap or head swap as the video whose frames are edited', () => {
    expect(videoRoleOf({ preset: 'face-swap', source: 0, target: 1 }, 1)).toBe('frames');
    expect(videoRoleOf({ preset: 'head-swap', source: 1, target: 0 }, 0)).toBe('frames');
  });

  it('takes the driving input of a reenact or animate as the video that lends its motion', () => {
    expect(videoRoleOf({ preset: 'reenact', source: 0, driving: 1 }, 1)).toBe('motion');
    expect(videoRoleOf({ preset: 'animate', source: 1, driving: 0, style: 'toon' }, 0)).toBe('motion');
    expect(videoInputOf({ preset: 'reenact', source: 0, driving: 1 })).toEqual({ input: 1, role: 'motion', photo: 0 });
    expect(videoInputOf({ preset: 'head-swap', source: 1, target: 0 })).toEqual({ input: 0, role: 'frames', photo: 1 });
  });

  it('refuses a video as the source photo or in a preset that takes none', () => {
    expect(videoRoleOf({ preset: 'face-swap', source: 0, target: 1 }, 0)).toBeNull();
    expect(videoRoleOf({ preset: 'reenact', source: 0, driving: 1 }, 0)).toBeNull();
    expect(videoInputOf({ preset: 'mixture', frame: 0 })).toBeNull();
    expect(videoRoleOf({ preset: 'inpaint', image: 0, regions: ['nose'], userMask: false }, 0)).toBeNull();
  });
});
