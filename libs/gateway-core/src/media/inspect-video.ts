/**
 * An uploaded video, probed before it is stored: ffprobe reads the spooled upload's file (it seeks, so a pipe
 * would not do), and the limits refuse it (413 naming the limit) before anything is stored or queued.
 */
import type { VideoProbe } from '@facex/contracts';
import { checkVideoLimits, probeVideo, type VideoLimits } from '@facex/video';

export async function inspectVideo(path: string, limits: VideoLimits): Promise<VideoProbe> {
  const probe = await probeVideo(path);
  checkVideoLimits(probe, limits);
  return probe;
}
