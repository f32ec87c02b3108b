/**
 * The diffusion worker: serves the `gpu` queue (render, and the video chunks of edits with the diffusion
 * generator where it has a pack) with the generators the environment enables (see openGenerators).
 * Configuration: see runWorkerProcess.
 */
import { runWorkerProcess } from '@facex/edit-pipeline';

runWorkerProcess(['gpu']).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
