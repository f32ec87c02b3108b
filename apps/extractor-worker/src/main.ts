/** The extractor worker: serves the `cpu` queue (extract + assemble). Configuration: see runWorkerProcess. */
import { runWorkerProcess } from '@facex/edit-pipeline';

runWorkerProcess(['cpu']).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
