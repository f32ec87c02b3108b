/**
 * The evaluation's people: every face FORD finds in the six sample photos of @vladmandic/face-api's demo
 * folder, photo by photo in SAMPLE_PHOTOS order and within a photo largest face first. Each face is a
 * different person (the photos are group photos of different people).
 */
import { decodeImage, FaceAnalyzer } from '@facex/analysis';
import type { FaceRepresentation } from '@facex/contracts';
import type { RgbImage } from '@facex/imaging';
import { SAMPLE_PHOTOS, samplePhoto } from '@facex/analysis/testing';

export interface Person {
  /** `sample3.jpg#1`: the photo and the face's index in it. */
  id: string;
  representation: FaceRepresentation;
  /** The whole photo the face is in (the paste-back frame). */
  image: RgbImage;
}

/** The people of the given photos (default: all six), in the documented order. */
export async function loadSamplePeople(analyzer: FaceAnalyzer, photos: readonly string[] = SAMPLE_PHOTOS.map((p) => p.name)): Promise<Person[]> {
  const people: Person[] = [];
  for (const photo of photos) {
    const bytes = samplePhoto(photo);
    const [{ image }, faces] = await Promise.all([decodeImage(bytes), analyzer.analyzeAll(bytes)]);
    for (const representation of faces) people.push({ id: `${photo}#${representation.faceIndex}`, representation, image });
  }
  return people;
}

/** The same people, analysed by a one-thread FaceAnalyzer of its own that is closed afterwards. */
export async function analyzeSamplePeople(photos?: readonly string[]): Promise<Person[]> {
  const analyzer = await FaceAnalyzer.open({ workers: 1 });
  try {
    return await loadSamplePeople(analyzer, photos);
  } finally {
    await analyzer.close();
  }
}
