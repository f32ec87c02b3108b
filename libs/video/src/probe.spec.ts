import { isFacexError } from '@facex/contracts';
import { parseProbe } from './probe';

const mp4 = {
  streams: [
    { codec_type: 'video', codec_name: 'h264', width: 160, height: 120, r_frame_rate: '25/1', avg_frame_rate: '25/1', nb_read_packets: '50' },
    { codec_type: 'audio', codec_name: 'aac', sample_rate: '44100', channels: 1, r_frame_rate: '0/0', avg_frame_rate: '0/0', nb_read_packets: '88' },
  ],
  format: { format_name: 'mov,mp4,m4a,3gp,3g2,mj2', duration: '2.000000' },
};

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return isFacexError(error) ? error.code : 'not a FacexError';
  }
  return undefined;
}

describe('parseProbe', () => {
  it('reads size, exact frame rate, packet-counted frames, duration and the audio track', () => {
    expect(parseProbe(mp4)).toEqual({
      container: 'mp4',
      videoCodec: 'h264',
      width: 160,
      height: 120,
      fps: { num: 25, den: 1 },
      frameCount: 50,
      durationSeconds: 2,
      audio: { codec: 'aac', sampleRate: 44100, channels: 1 },
    });
  });

  it('keeps an NTSC rate as its rational and reports a clip without audio as audio null', () => {
    const ntsc = { ...mp4, streams: [{ ...mp4.streams[0], avg_frame_rate: '30000/1001' }] };
    expect(parseProbe(ntsc)).toMatchObject({ fps: { num: 30000, den: 1001 }, audio: null });
  });

  it('takes WebM with VP9', () => {
    const webm = { ...mp4, streams: [{ ...mp4.streams[0], codec_name: 'vp9' }], format: { format_name: 'matroska,webm', duration: '2.0' } };
    expect(parseProbe(webm)).toMatchObject({ container: 'webm', videoCodec: 'vp9' });
  });

  it('refuses other containers, codecs and files without a video track as not_a_video', () => {
    expect(codeOf(() => parseProbe({ ...mp4, format: { format_name: 'avi', duration: '2' } }))).toBe('not_a_video');
    expect(codeOf(() => parseProbe({ ...mp4, streams: [{ ...mp4.streams[0], codec_name: 'mpeg4' }] }))).toBe('not_a_video');
    expect(codeOf(() => parseProbe({ ...mp4, streams: [mp4.streams[1]] }))).toBe('not_a_video');
    expect(codeOf(() => parseProbe({}))).toBe('not_a_video');
  });

  it('refuses a video track without frames or frame rate as corrupt_video', () => {
    expect(codeOf(() => parseProbe({ ...mp4, streams: [{ ...mp4.streams[0], nb_read_packets: '0' }] }))).toBe('corrupt_video');
    expect(codeOf(() => parseProbe({ ...mp4, streams: [{ ...mp4.streams[0], avg_frame_rate: '0/0', r_frame_rate: '0/0' }] }))).toBe('corrupt_video');
  });
});
