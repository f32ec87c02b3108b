/**
 * Identity by the independent judge: which face face-api finds at a person's place, how similar two
 * descriptors are, and the paper's ID retrieval (the output's descriptor against every person of the set;
 * correct when the nearest is the person whose identity the output should carry).
 *
 * Identity is compared face-api's way: the euclidean distance between the 128-d descriptors (lower is more
 * alike; below 0.6 face-api calls two faces the same person). The descriptors are not unit length (about
 * 1.4–1.5 on the sample photos), so a cosine would rank some neighbours differently; retrieval uses the
 * distance too.
 */
import type { FaceRepresentation } from '@facex/contracts';
import type { JudgedFace } from './judge/judge-task';
import type { Rect } from './judge/face-api-geometry';
import type { Person } from './sample-people';

function centre(box: Rect): [number, number] {
  return [box.x + box.width / 2, box.y + box.height / 2];
}

/** The judged face whose box centre is nearest that of `box`, within half its width; null when there is none. */
export function judgedFaceAt(faces: readonly JudgedFace[], box: Rect): JudgedFace | null {
  const [bx, by] = centre(box);
  let best: JudgedFace | null = null,
    bestDistance = box.width / 2;
  for (const face of faces) {
    const [x, y] = centre(face.box);
    const distance = Math.hypot(x - bx, y - by);
    if (distance <= bestDistance) {
      best = face;
      bestDistance = distance;
    }
  }
  return best;
}

/** face-api's distance between two descriptors (FaceMatcher's): euclidean. */
export function descriptorDistance(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] - b[i]) ** 2;
  return Math.sqrt(sum);
}

/** face-api's "same person" threshold on the descriptor distance. */
export const SAME_PERSON_DISTANCE = 0.6;

/** The index of the gallery descriptor nearest `descriptor` (people the judge missed are skipped); −1 if none. */
export function nearestIdentity(descriptor: Float32Array, gallery: readonly (Float32Array | null)[]): number {
  let best = -1,
    bestDistance = Infinity;
  gallery.forEach((entry, index) => {
    if (!entry) return;
    const distance = descriptorDistance(descriptor, entry);
    if (distance < bestDistance) {
      best = index;
      bestDistance = distance;
    }
  });
  return best;
}

/** FORD's detection box of a face, as a judge-comparable rect. */
export const fordBox = (representation: FaceRepresentation): Rect => representation.detection.box;

/**
 * The judge's view of every person on their own photo: the face it finds at FORD's detection (photos are
 * judged once each). A person the judge does not find is null: outputs cannot be retrieved as them.
 */
export async function judgeGallery(people: readonly Person[], describe: (image: Person['image']) => Promise<JudgedFace[]>): Promise<(JudgedFace | null)[]> {
  const byPhoto = new Map<Person['image'], Promise<JudgedFace[]>>();
  return Promise.all(
    people.map(async (person) => {
      let faces = byPhoto.get(person.image);
      if (!faces) {
        faces = describe(person.image);
        byPhoto.set(person.image, faces);
      }
      return judgedFaceAt(await faces, fordBox(person.representation));
    }),
  );
}
