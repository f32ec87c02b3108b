/**
 * The result video: the rendered chunks joined without re-encoding (concat demuxer, stream copy) and the
 * source's audio track copied when MP4 can hold its codec, otherwise encoded to AAC.
 */
import { writeFile } from 'node:fs/promises';
import { runVideoTool, type ToolLimits } from './ffmpeg-runner';
import type { VideoProbe } from '@facex/contracts';

/** Audio codecs MP4 carries as they are; anything else (Vorbis from WebM, PCM from MOV) becomes AAC. */
const MP4_AUDIO_CODECS = new Set(['aac', 'mp3', 'alac', 'ac3', 'eac3']);

export function audioArgs(audio: VideoProbe['audio']): string[] {
  if (!audio) return [];
  return ['-map', '1:a:0', '-c:a', MP4_AUDIO_CODECS.has(audio.codec) ? 'copy' : 'aac'];
}

/** Chunk paths are ours (a temporary folder), but quotes are still escaped as the concat format wants. */
export function concatList(chunkPaths: readonly string[]): string {
  return chunkPaths.map((path) => `file '${path.replace(/'/g, "'\\''")}'\n`).join('');
}

export async function muxChunks(
  chunkPaths: readonly string[],
  listPath: string,
  sourcePath: string,
  probe: VideoProbe,
  outPath: string,
  limits?: Partial<ToolLimits>,
): Promise<void> {
  await writeFile(listPath, concatList(chunkPaths));
  const args = [
    ...['-v', 'error', '-nostdin', '-y', '-f', 'concat', '-safe', '0', '-i', listPath, '-i', sourcePath, '-map', '0:v:0', '-c:v', 'copy'],
    ...audioArgs(probe.audio),
    ...['-movflags', '+faststart', '-f', 'mp4', outPath],
  ];
  await runVideoTool('ffmpeg', args, { limits });
}
