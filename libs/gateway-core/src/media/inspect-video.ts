/**
 * An uploaded video, probed before it is stored: ffprobe reads it from a temporary file (it seeks, so a pipe
 * would not do), and the limits refuse it (413 naming the limit) before anything is stored or queued.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { VideoProbe } from '@facex/contracts';
import { checkVideoLimits, probeVideo, type VideoLimits } from '@facex/video';

export async function inspectVideo(bytes: Uint8Array, limits: VideoLimits): Promise<VideoProbe> {
  const dir = await mkdtemp(join(tmpdir(), 'facex-upload-'));
  try {
    const path = join(dir, 'upload');
    await writeFile(path, bytes);
    const probe = await probeVideo(path);
    checkVideoLimits(probe, limits);
    return probe;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
