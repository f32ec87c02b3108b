/**
 * Named index sets of the 468-point face mesh (MediaPipe FaceMesh topology). "Right"/"left" are the subject's
 * sides: the right eye appears on the image's left in an unmirrored photo. Contours run in the mesh's own
 * order (outer → inner for eyes and brows, from the right mouth corner to the left one for lips), so a
 * polygon is built by walking an upper contour and then the lower one backwards.
 *
 * The names and point orders equal the annotation names of @vladmandic/human; tools/topology/build-topology.ts
 * checks every set against Human's annotations on the sample photos (outcome recorded in
 * mesh-topology.json → provenance.annotationCheck).
 */
export const MESH_ANNOTATIONS = {
  silhouette: [
    10, 338, 297, 332, 284, 251, 389, 356, 454, 323, 361, 288, 397, 365, 379, 378, 400, 377, 152, 148, 176, 149, 150, 136, 172, 58, 132, 93, 234, 127, 162, 21,
    54, 103, 67, 109,
  ],
  lipsUpperOuter: [185, 40, 39, 37, 0, 267, 269, 270, 409],
  lipsLowerOuter: [61, 146, 91, 181, 84, 17, 314, 405, 321, 375, 291],
  lipsUpperInner: [191, 80, 81, 82, 13, 312, 311, 310, 415],
  lipsLowerInner: [78, 95, 88, 178, 87, 14, 317, 402, 318, 324, 308],
  rightEyeUpper0: [246, 161, 160, 159, 158, 157, 173],
  rightEyeLower0: [33, 7, 163, 144, 145, 153, 154, 155, 133],
  rightEyeUpper1: [247, 30, 29, 27, 28, 56, 190],
  rightEyeLower1: [130, 25, 110, 24, 23, 22, 26, 112, 243],
  rightEyeUpper2: [113, 225, 224, 223, 222, 221, 189],
  rightEyeLower2: [226, 31, 228, 229, 230, 231, 232, 233, 244],
  rightEyeLower3: [143, 111, 117, 118, 119, 120, 121, 128, 245],
  rightEyebrowUpper: [156, 70, 63, 105, 66, 107, 55, 193],
  rightEyebrowLower: [35, 124, 46, 53, 52, 65],
  leftEyeUpper0: [466, 388, 387, 386, 385, 384, 398],
  leftEyeLower0: [263, 249, 390, 373, 374, 380, 381, 382, 362],
  leftEyeUpper1: [467, 260, 259, 257, 258, 286, 414],
  leftEyeLower1: [359, 255, 339, 254, 253, 252, 256, 341, 463],
  leftEyeUpper2: [342, 445, 444, 443, 442, 441, 413],
  leftEyeLower2: [446, 261, 448, 449, 450, 451, 452, 453, 464],
  leftEyeLower3: [372, 340, 346, 347, 348, 349, 350, 357, 465],
  leftEyebrowUpper: [383, 300, 293, 334, 296, 336, 285, 417],
  leftEyebrowLower: [265, 353, 276, 283, 282, 295],
  midwayBetweenEyes: [168],
  noseTip: [1],
  noseBottom: [2],
  noseRightCorner: [98],
  noseLeftCorner: [327],
  rightCheek: [205],
  leftCheek: [425],
} as const satisfies Record<string, readonly number[]>;

export type MeshAnnotationName = keyof typeof MESH_ANNOTATIONS;

/** Single landmarks the geometry modules measure with (all are members of the sets above or the midline). */
export const LANDMARK = {
  rightEyeOuterCorner: 33,
  rightEyeInnerCorner: 133,
  rightEyeUpperLid: 159,
  rightEyeLowerLid: 145,
  leftEyeOuterCorner: 263,
  leftEyeInnerCorner: 362,
  leftEyeUpperLid: 386,
  leftEyeLowerLid: 374,
  rightMouthCorner: 61,
  leftMouthCorner: 291,
  upperLipTop: 0,
  upperLipInner: 13,
  lowerLipInner: 14,
  lowerLipBottom: 17,
  noseTip: 1,
  noseBottom: 2,
  chin: 152,
  foreheadTop: 10,
  rightBrowInner: 107,
  leftBrowInner: 336,
} as const;

/**
 * Points around the nose whose outline (convex hull in the canonical frontal face) is the nose region:
 * bridge (168, 6, 197, 195, 5), tip and columella (4, 1, 2), and the sides and alae of both halves.
 */
export const NOSE_POINTS = [168, 6, 197, 195, 5, 4, 1, 2, 98, 327, 64, 294, 48, 278, 129, 358, 102, 331, 115, 344, 122, 351, 196, 419, 174, 399] as const;

/**
 * The iris model's 71 eye-contour points, by range, and the mesh contour each range matches (for the eye it was
 * run on). The model is run on a crop of one eye, mirrored for the left eye, so the same ranges apply to both
 * eyes with the `right`/`left` prefix of the eye. Index 0 of each range is the contour's first mesh point.
 * The model's output holds these 71 points followed by the IRIS_POINTS iris points. Checked against the model
 * on the sample photos by tools/topology/iris-contour-check.ts (mesh-topology.json → irisContourCheck).
 */
export const IRIS_MODEL_CONTOUR_RANGES = [
  { contour: 'EyeLower0', start: 0, count: 9 },
  { contour: 'EyeUpper0', start: 9, count: 7 },
  { contour: 'EyeLower1', start: 16, count: 9 },
  { contour: 'EyeUpper1', start: 25, count: 7 },
  { contour: 'EyeLower2', start: 32, count: 9 },
  { contour: 'EyeUpper2', start: 41, count: 7 },
  { contour: 'EyebrowLower', start: 48, count: 6 },
  { contour: 'EyeLower3', start: 54, count: 9 },
  { contour: 'EyebrowUpper', start: 63, count: 8 },
] as const;

/** Points per eye that the iris model returns for the iris: the centre, then 4 on the boundary. */
export const IRIS_POINTS = 5;
/** Points per eye that the iris model returns for the eye contour (see IRIS_MODEL_CONTOUR_RANGES). */
export const IRIS_MODEL_CONTOUR_POINTS = 71;

export type EyeSide = 'right' | 'left';

/** Mesh index of each of the iris model's 71 contour points, for the given eye (the ranges cover all 71). */
export function irisContourToMesh(eye: EyeSide): Uint16Array {
  const map = new Uint16Array(IRIS_MODEL_CONTOUR_POINTS);
  for (const range of IRIS_MODEL_CONTOUR_RANGES) {
    const indices = MESH_ANNOTATIONS[`${eye}${range.contour}`];
    for (let k = 0; k < range.count; k++) map[range.start + k] = indices[k];
  }
  return map;
}
