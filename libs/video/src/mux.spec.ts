import { audioArgs, concatList } from './mux';

describe('audioArgs', () => {
  it('copies audio MP4 can hold and encodes the rest to AAC', () => {
    expect(audioArgs({ codec: 'aac', sampleRate: 44100, channels: 2 })).toEqual(['-map', '1:a:0', '-c:a', 'copy']);
    expect(audioArgs({ codec: 'opus', sampleRate: 48000, channels: 2 })).toEqual(['-map', '1:a:0', '-c:a', 'aac']);
    expect(audioArgs(null)).toEqual([]);
  });
});

describe('concatList', () => {
  it('lists one file a line with quotes escaped', () => {
    expect(concatList(['/tmp/a.mp4', "/tmp/it's.mp4"])).toBe("file '/tmp/a.mp4'\nfile '/tmp/it'\\''s.mp4'\n");
  });
});
