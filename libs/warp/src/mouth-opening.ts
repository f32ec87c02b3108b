/**
 * The mouth's opening as the mesh draws it (the inner lips), and the mouth's own frame: along the inner-lip
 * corners and across them. Read the same way on the output, the frame and a donor, so their interiors map.
 */
import { LANDMARK, MESH_ANNOTATIONS } from './topology';

/** The inner-lip opening, in order around it: the lower inner lip corner to corner, then the upper one back. */
const OPENING: readonly number[] = [...MESH_ANNOTATIONS.lipsLowerInner, ...[...MESH_ANNOTATIONS.lipsUpperInner].reverse()];
const LEFT_INNER = MESH_ANNOTATIONS.lipsLowerInner[MESH_ANNOTATIONS.lipsLowerInner.length - 1];
const RIGHT_INNER = MESH_ANNOTATIONS.lipsLowerInner[0];

export interface Opening {
  /** The opening's outline, x and y alternating. */
  ring: number[];
  /** Inner-lip corners, and the upper and lower inner lips' centres. */
  right: [number, number];
  left: [number, number];
  upper: [number, number];
  lower: [number, number];
  /** Upper to lower inner-lip centre. */
  gap: number;
  /** Corner to corner. */
  width: number;
}

/** The opening of a mesh (MESH_POINTS × (x, y) on a crop). */
export function openingOf(points: Float32Array): Opening {
  const p = (i: number): [number, number] => [points[2 * i], points[2 * i + 1]];
  const upper = p(LANDMARK.upperLipInner),
    lower = p(LANDMARK.lowerLipInner);
  const right = p(RIGHT_INNER),
    left = p(LEFT_INNER);
  return {
    ring: OPENING.flatMap((i) => p(i)),
    right,
    left,
    upper,
    lower,
    gap: Math.hypot(lower[0] - upper[0], lower[1] - upper[1]),
    width: Math.hypot(left[0] - right[0], left[1] - right[1]),
  };
}

/** The mouth's own frame (see MouthFrame.place): a crop pixel in it, and back. */
export interface MouthFrame {
  /** `along` the corner line from its middle, and `depth` below the upper inner lip's centre, across the corner line (towards the lower lip). */
  place(x: number, y: number): { along: number; depth: number };
  /** The crop pixel at (along, depth). */
  point(along: number, depth: number): [number, number];
  /** The depth of the upper or lower inner lip at `along` (interpolated between its mesh points; the end's beyond the corners). */
  lip(which: 'upper' | 'lower', along: number): number;
}

export function mouthFrame(opening: Opening): MouthFrame {
  const length = opening.width || 1;
  const [ux, uy] = [(opening.left[0] - opening.right[0]) / length, (opening.left[1] - opening.right[1]) / length];
  const [mx, my] = [(opening.left[0] + opening.right[0]) / 2, (opening.left[1] + opening.right[1]) / 2];
  // The middle's depth: depth is measured from the upper lip's centre, positions from the middle.
  const middle = (mx - opening.upper[0]) * -uy + (my - opening.upper[1]) * ux;
  const place = (x: number, y: number) => ({ along: (x - mx) * ux + (y - my) * uy, depth: (x - opening.upper[0]) * -uy + (y - opening.upper[1]) * ux });
  // The ring runs along the lower lip corner to corner, then back along the upper lip between the corners.
  const lowerCount = MESH_ANNOTATIONS.lipsLowerInner.length;
  const ringPoints = (from: number, to: number) => {
    const out: Array<{ along: number; depth: number }> = [];
    for (let k = from; k < to; k++) out.push(place(opening.ring[2 * k], opening.ring[2 * k + 1]));
    return out;
  };
  const corners = [place(...opening.right), place(...opening.left)];
  const profiles = {
    lower: ringPoints(0, lowerCount).sort((a, b) => a.along - b.along),
    upper: [...corners, ...ringPoints(lowerCount, opening.ring.length / 2)].sort((a, b) => a.along - b.along),
  };
  return {
    place,
    point: (along, depth) => [mx + along * ux - (depth - middle) * uy, my + along * uy + (depth - middle) * ux],
    lip: (which, along) => {
      const profile = profiles[which];
      if (along <= profile[0].along) return profile[0].depth;
      for (let k = 1; k < profile.length; k++) {
        const [a, b] = [profile[k - 1], profile[k]];
        if (along <= b.along) return a.depth + ((b.depth - a.depth) * (along - a.along)) / (b.along - a.along || 1);
      }
      return profile[profile.length - 1].depth;
    },
  };
}
