/**
 * The video worker: serves the `video` queue (a video edit's chunks and its mux) with FORD, the warp generator
 * (FACEX_WARP_THREADS threads, default 2) and ffmpeg. Configuration: see runWorkerProcess.
 */
import { runWorkerProcess } from '@facex/edit-pipeline';

runWorkerProcess(['video']).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
