/**
 * The warp's own verdict on an edit: how far it had to turn a face beyond the pose its pixels were taken at, and
 * how much of the output the supplying face turns away. Past either limit the result completes but is flagged
 * `degraded`, with the reasons in words (the edit result's `quality`).
 */

/** Beyond this pose gap the warp shows sides of a face its source never saw. */
export const DEGRADED_POSE_GAP_DEGREES = 30;
/** Beyond this many occluded triangles (10 % of the face) the stretched area is visible. */
export const DEGRADED_OCCLUDED_TRIANGLES = 88;

export interface WarpQuality {
  /** Largest yaw/pitch/roll difference between the pose the output takes and a face that supplies pixels. */
  poseGapDegrees: number;
  /** Face triangles the output shows but a supplying face turns away from the camera. */
  occludedTriangles: number;
  flag: 'ok' | 'degraded';
  /** Why it is degraded, one sentence each (the edit result's `quality.reasons`); empty when ok. */
  reasons: string[];
}

/** The quality flag's reasons (see WarpQuality): one per limit the warp went beyond. */
export function degradedReasons(poseGapDegrees: number, occluded: number): string[] {
  const reasons: string[] = [];
  if (poseGapDegrees > DEGRADED_POSE_GAP_DEGREES) {
    reasons.push(
      `The face is turned ${Math.round(poseGapDegrees)}° away from the pose its pixels were taken at (the warp bridges up to ${DEGRADED_POSE_GAP_DEGREES}°): parts its photo never showed are mirrored from the side it did show or continued from their surroundings.`,
    );
  }
  if (occluded > DEGRADED_OCCLUDED_TRIANGLES) {
    reasons.push(
      `${occluded} mesh triangles of the output (over ${DEGRADED_OCCLUDED_TRIANGLES}, 10 % of the face) are turned away from the camera in the face that supplies them: those parts are stretched or filled in.`,
    );
  }
  return reasons;
}
