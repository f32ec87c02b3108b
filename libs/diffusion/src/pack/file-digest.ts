import { createHash } from 'crypto';
import { createReadStream } from 'fs';

/** sha256 of a file, streamed (checkpoints and external data run to gigabytes). */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 4 * 1024 * 1024 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
