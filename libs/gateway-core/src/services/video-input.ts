/**
 * Which input of an edit is its video, by the contracts' rule (videoInputOf) (the one rule of which preset takes a video in
 * which input). A video elsewhere, or what a video edit cannot do (choose several faces, a generator other than
 * the warp or the diffusion generator, an image encoding, a driven photo over the frame-size limit) is refused
 * naming the field.
 */
import {
  FacexError,
  videoInputOf,
  videoRoleOf,
  type EditRequestOptions,
  type FaceSelection,
  type GeneratorName,
  type Task,
  type VideoProbe,
} from '@facex/contracts';

/** What renders a video: the video workers' warp (the default), or the diffusion generator where a pack is served. */
export const VIDEO_GENERATORS: readonly GeneratorName[] = ['warp', 'diffusion'];

/**
 * A video driving a photo (role `motion`) renders every frame at the photo's size, so the photo answers to the
 * video frame-size limit (FACEX_VIDEO_MAX_PIXELS): `video_too_large` (413) naming the photo's input, as an
 * upload over that limit is. `sizeOf`: an input's size, null when unknown.
 */
export function checkDrivenPhotoPixels(task: Task, sizeOf: (input: number) => { width: number; height: number } | null, maxPixels: number): void {
  const video = videoInputOf(task);
  const photo = video?.role === 'motion' ? sizeOf(video.photo) : null;
  if (!video || !photo) return;
  const actual = photo.width * photo.height;
  if (actual <= maxPixels) return;
  const field = `inputs[${video.photo}]`;
  throw new FacexError(
    'video_too_large',
    `${field}: the photo is ${photo.width}×${photo.height}, and a video driving it gives frames of that size; the limit is ${maxPixels} pixels (scale the photo down)`,
    { field, limit: 'maxPixels', max: maxPixels, actual },
  );
}

function invalid(field: string, message: string): FacexError {
  return new FacexError('invalid_recipe', `${field}: ${message}`, { field });
}

/**
 * The probe of the edit's video input; null for a photo edit. `inputs`: each input's probe (null for an
 * image); `others`: the edit's other assets (mask, reference face) with their request fields.
 */
export function videoProbeOfEdit(
  task: Task,
  inputs: ReadonlyArray<VideoProbe | null>,
  others: ReadonlyArray<{ field: string; video: VideoProbe | null }>,
  request: { faces: FaceSelection | null; options: EditRequestOptions },
): VideoProbe | null {
  const misplaced = others.find((other) => other.video);
  if (misplaced) throw invalid(misplaced.field, 'takes an image, not a video');
  const taker = videoInputOf(task);
  const videos = inputs.map((probe, i) => (probe ? i : -1)).filter((i) => i >= 0);
  for (const i of videos) {
    if (videoRoleOf(task, i) !== null) continue;
    const where = taker ? `a video goes in inputs[${taker.input}]` : `${task.preset} takes no video`;
    throw invalid(`inputs[${i}]`, `${task.preset} takes a photo here; ${where}`);
  }
  // videoRoleOf gives a video to one input of a task at most.
  if (videos.length === 0) {
    if ('motion' in task && task.motion !== undefined)
      throw invalid('task.motion', 'relative or absolute driving applies to a video driver; a photo lends its motion as it is');
    return null;
  }
  if (request.faces) throw invalid('faces', `a video edit follows one face through the frames: choose it with inputs[${videos[0]}].faceIndex`);
  const { generator, output } = request.options;
  if (generator !== undefined && !VIDEO_GENERATORS.includes(generator))
    throw invalid('options.generator', `a video edit is rendered by the ${VIDEO_GENERATORS.join(' or the ')} generator, not '${generator}'`);
  if (output) throw invalid('options.output', 'a video edit gives an MP4 video; output formats are those of image results');
  return inputs[videos[0]];
}
