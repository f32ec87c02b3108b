import { EXPRESSION_COMPONENTS, MASK_SIZE, REGION_NAMES, type FaceRepresentation } from '@facex/contracts';

const round = (value: number, digits = 1) => Number(value.toFixed(digits));

/** A short human-readable account of a representation, for the command line. */
export function summarizeRepresentation(rep: FaceRepresentation): Record<string, unknown> {
  const plane = MASK_SIZE * MASK_SIZE;
  const coverage = Object.fromEntries(
    REGION_NAMES.map((name, r) => {
      let sum = 0;
      for (let i = r * plane; i < (r + 1) * plane; i++) sum += rep.masks[i];
      return [name, `${round((sum / 255 / plane) * 100)}%`];
    }),
  );
  const strongest = EXPRESSION_COMPONENTS.map((name, i) => [name, rep.motion.expression[i]] as const)
    .sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]))
    .slice(0, 4)
    .map(([name, value]) => `${name} ${round(value, 2)}`);
  const [r0, g0, b0] = [0, 9, 18].map((offset) => rep.environment.lighting[offset]);
  return {
    face: `${rep.faceIndex + 1} of ${rep.faceCount}`,
    box: Object.values(rep.detection.box)
      .map((v) => Math.round(v))
      .join(', '),
    score: round(rep.detection.score, 2),
    pose: `yaw ${round(rep.motion.pose.yaw)}°, pitch ${round(rep.motion.pose.pitch)}°, roll ${round(rep.motion.pose.roll)}°`,
    gaze: `left eye yaw ${round(rep.motion.gaze.left.yaw)}° pitch ${round(rep.motion.gaze.left.pitch)}°, right eye yaw ${round(rep.motion.gaze.right.yaw)}° pitch ${round(rep.motion.gaze.right.pitch)}°`,
    expression: strongest.join(', '),
    identity: `${rep.identity.length}-d embedding`,
    lighting: `ambient RGB ${[r0, g0, b0].map((v) => round(v, 3)).join(' / ')}`,
    regions: coverage,
    modelPack: `${rep.modelPack.name} ${rep.modelPack.version}`,
  };
}
