/**
 * The diffusion worker: serves the `gpu` queue (render). Until the `warp` and `diffusion` generators land it
 * serves the `reference` generator only. Configuration: see runWorkerProcess.
 */
import { runWorkerProcess } from '@facex/edit-pipeline';

runWorkerProcess(['gpu']).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
