import { CANONICAL_FACE } from '../topology/mesh-data';
import { LANDMARK } from '../topology/mesh-landmarks';
import { eyeGaze, gazeOfBothEyes, irisCircle } from './gaze';
import { posedFace } from './test-support';

/** Centre of the right eye opening in the image: corner midpoint along, lid midpoint across (upright face). */
const eyeOpeningCentre = (mesh: Float32Array): [number, number] => [
  (mesh[3 * LANDMARK.rightEyeOuterCorner] + mesh[3 * LANDMARK.rightEyeInnerCorner]) / 2,
  (mesh[3 * LANDMARK.rightEyeUpperLid + 1] + mesh[3 * LANDMARK.rightEyeLowerLid + 1]) / 2,
];

describe('eyeGaze', () => {
  const mesh = posedFace({ yaw: 0, pitch: 0, roll: 0 });
  const [cx, cy] = eyeOpeningCentre(mesh);
  const eyeWidth = Math.abs(mesh[3 * LANDMARK.rightEyeOuterCorner] - mesh[3 * LANDMARK.rightEyeInnerCorner]);

  it('reads a centred iris as looking straight ahead', () => {
    const gaze = eyeGaze(mesh, 'right', cx, cy);
    expect(Math.abs(gaze.offsetX)).toBeLessThan(0.02);
    expect(Math.abs(gaze.yaw)).toBeLessThan(1);
  });

  it('changes the sign of yaw between an iris moved left and moved right, and of pitch between up and down', () => {
    const right = eyeGaze(mesh, 'right', cx + 0.2 * eyeWidth, cy);
    const left = eyeGaze(mesh, 'right', cx - 0.2 * eyeWidth, cy);
    // The canonical eye's corner line is slightly tilted, so a purely horizontal shift reads a little less.
    expect(right.offsetX).toBeCloseTo(0.4, 1);
    expect(left.offsetX).toBeCloseTo(-0.4, 1);
    expect(right.yaw).toBeLessThan(-20);
    expect(left.yaw).toBeGreaterThan(20);
    expect(eyeGaze(mesh, 'right', cx, cy + 2).pitch).toBeGreaterThan(0);
    expect(eyeGaze(mesh, 'right', cx, cy - 2).pitch).toBeLessThan(0);
    expect(eyeGaze(mesh, 'right', cx, cy + 2).offsetY).toBeGreaterThan(0);
  });

  it('measures along the eye axis, so head roll does not change the reading', () => {
    const upright = eyeGaze(mesh, 'right', cx + 5, cy);
    const roll = 30;
    const rolled = posedFace({ yaw: 0, pitch: 0, roll });
    // Rotate the same iris displacement with the face about the posing origin (320, 240).
    const [c, s] = [Math.cos((roll * Math.PI) / 180), Math.sin((roll * Math.PI) / 180)];
    const rotate = (x: number, y: number): [number, number] => [320 + c * (x - 320) - s * (y - 240), 240 + s * (x - 320) + c * (y - 240)];
    const tilted = eyeGaze(rolled, 'right', ...rotate(cx + 5, cy));
    expect(tilted.offsetX).toBeCloseTo(upright.offsetX, 4);
    expect(tilted.yaw).toBeCloseTo(upright.yaw, 3);
  });

  it('gives both eyes of a face, right from the right iris and left from the left', () => {
    const both = gazeOfBothEyes(mesh, [cx + 4, cy], [mesh[3 * LANDMARK.leftEyeInnerCorner], cy]);
    expect(both.right.yaw).toBeLessThan(0);
    expect(both.left.offsetX).toBeLessThan(-0.9);
  });

  it('rejects a non-finite iris centre', () => {
    expect(() => eyeGaze(Float32Array.from(CANONICAL_FACE), 'left', NaN, 0)).toThrow(expect.objectContaining({ details: { field: 'iris.left' } }));
  });
});

describe('irisCircle', () => {
  it('returns the centre and the mean boundary distance of the 5 iris points', () => {
    expect(irisCircle([10, 20, 13, 20, 10, 17, 7, 20, 10, 23])).toEqual([10, 20, 3]);
    expect(irisCircle([10, 20, 0, 14, 20, 0, 10, 16, 0, 6, 20, 0, 10, 24, 0], 3)).toEqual([10, 20, 4]);
    expect(() => irisCircle([1, 2, 3])).toThrow(expect.objectContaining({ code: 'invalid_representation' }));
  });
});
