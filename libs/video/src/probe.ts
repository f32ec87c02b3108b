/**
 * What a video is, read by ffprobe before any work: container, codec, size, frame rate (kept as the exact
 * rational the result is encoded at), frame count (packets counted, no decode) and the audio track.
 */
import { z } from 'zod';
import { FacexError, type FrameRate, type VideoProbe } from '@facex/contracts';
import { runVideoTool, VideoToolError, type ToolLimits } from './ffmpeg-runner';

/** ffprobe's `format_name` of the containers accepted (MP4 and MOV share a demuxer, WebM is Matroska's). */
const CONTAINERS: Record<string, VideoProbe['container']> = { 'mov,mp4,m4a,3gp,3g2,mj2': 'mp4', 'matroska,webm': 'webm' };
const VIDEO_CODECS = new Set<string>(['h264', 'vp9', 'vp8', 'hevc']);

const StreamSchema = z.looseObject({
  codec_type: z.string(),
  codec_name: z.string().optional(),
  width: z.number().optional(),
  height: z.number().optional(),
  r_frame_rate: z.string().optional(),
  avg_frame_rate: z.string().optional(),
  nb_read_packets: z.string().optional(),
  sample_rate: z.string().optional(),
  channels: z.number().optional(),
});
const ProbeOutputSchema = z.looseObject({
  streams: z.array(StreamSchema).default([]),
  format: z.looseObject({ format_name: z.string(), duration: z.string().optional() }),
});

export const PROBE_ARGS = [
  '-v',
  'error',
  '-count_packets',
  '-show_entries',
  'format=format_name,duration:stream=codec_type,codec_name,width,height,r_frame_rate,avg_frame_rate,nb_read_packets,sample_rate,channels',
  '-of',
  'json',
] as const;

function parseRate(text: string | undefined): FrameRate | null {
  const match = /^(\d+)\/(\d+)$/.exec(text ?? '');
  if (!match) return null;
  const [num, den] = [Number(match[1]), Number(match[2])];
  return num > 0 && den > 0 ? { num, den } : null;
}

/** ffprobe's JSON → VideoProbe; a file that is not an accepted video is refused with a typed error. */
export function parseProbe(output: unknown): VideoProbe {
  const parsed = ProbeOutputSchema.safeParse(output);
  if (!parsed.success) throw new FacexError('not_a_video', 'the file is not a video ffprobe can read');
  const { streams, format } = parsed.data;
  const container = CONTAINERS[format.format_name];
  const video = streams.find((stream) => stream.codec_type === 'video');
  if (!container || !video) throw new FacexError('not_a_video', `expected MP4, MOV or WebM with a video track, got ${format.format_name}`);
  if (!video.codec_name || !VIDEO_CODECS.has(video.codec_name)) {
    throw new FacexError('not_a_video', `unsupported video codec ${video.codec_name ?? 'unknown'} (H.264, HEVC, VP8 or VP9)`);
  }
  // The nominal rate: variable-rate phone clips report a meaningless r_frame_rate less often than avg.
  const fps = parseRate(video.avg_frame_rate) ?? parseRate(video.r_frame_rate);
  const frameCount = Number(video.nb_read_packets);
  const durationSeconds = Number(format.duration);
  if (!fps || !video.width || !video.height || !(frameCount > 0) || !(durationSeconds > 0)) {
    throw new FacexError('corrupt_video', 'the video has no readable frames, size, frame rate or duration');
  }
  const audioStream = streams.find((stream) => stream.codec_type === 'audio');
  const audio = audioStream?.codec_name
    ? { codec: audioStream.codec_name, sampleRate: Number(audioStream.sample_rate ?? 0), channels: audioStream.channels ?? 0 }
    : null;
  return {
    container,
    videoCodec: video.codec_name as VideoProbe['videoCodec'],
    width: video.width,
    height: video.height,
    fps,
    frameCount,
    durationSeconds,
    audio,
  };
}

/** Probes a file on disk; unreadable input is `corrupt_video`, never a 500. */
export async function probeVideo(path: string, limits?: Partial<ToolLimits>): Promise<VideoProbe> {
  let stdout: Buffer;
  try {
    stdout = await runVideoTool('ffprobe', [...PROBE_ARGS, path], { limits });
  } catch (error) {
    if (!(error instanceof VideoToolError) || error.timedOut) throw error;
    throw new FacexError('corrupt_video', 'the file is not a readable video', { reason: error.stderrTail.trim().split('\n').at(-1) });
  }
  return parseProbe(JSON.parse(stdout.toString('utf8')));
}
