import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The group photos shipped in @vladmandic/face-api's demo folder, with their face counts (counted by eye). */
export const SAMPLE_PHOTOS = [
  { name: 'sample1.jpg', faces: 3 },
  { name: 'sample2.jpg', faces: 3 },
  { name: 'sample3.jpg', faces: 3 },
  { name: 'sample4.jpg', faces: 4 },
  { name: 'sample5.jpg', faces: 5 },
  { name: 'sample6.jpg', faces: 4 },
] as const;

const DEMO_DIR = join(dirname(require.resolve('@vladmandic/face-api/package.json')), 'demo');

export function samplePhoto(name: string): Buffer {
  return readFileSync(join(DEMO_DIR, name));
}
