/**
 * Which input of an edit is its video, by the contracts' rule (videoInputOf) (the one rule of which preset takes a video in
 * which input). A video elsewhere, or what a video edit cannot do (choose several faces, a generator other than
 * the warp or the diffusion generator, an image encoding) is refused naming the field.
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
  if (videos.length === 0) return null;
  if (request.faces) throw invalid('faces', `a video edit follows one face through the frames: choose it with inputs[${videos[0]}].faceIndex`);
  const { generator, output } = request.options;
  if (generator !== undefined && !VIDEO_GENERATORS.includes(generator))
    throw invalid('options.generator', `a video edit is rendered by the ${VIDEO_GENERATORS.join(' or the ')} generator, not '${generator}'`);
  if (output) throw invalid('options.output', 'a video edit gives an MP4 video; output formats are those of image results');
  return inputs[videos[0]];
}
