import type { RgbImage } from '@facex/imaging';
import { drawEyeballs, eyeSimilarity, lidDepth } from './eye-interior';
import { MESH_POINTS } from '@facex/contracts';
import { CANONICAL_FACE, eyeFrame, LANDMARK, MESH_ANNOTATIONS } from './topology';

/** The canonical face on a 512 px crop (x, y per point): about 230 px between the eyes. */
function cropMesh(): Float32Array {
  const points = new Float32Array(MESH_POINTS * 2);
  for (let i = 0; i < MESH_POINTS; i++) {
    points[2 * i] = 256 + 36 * CANONICAL_FACE[3 * i];
    points[2 * i + 1] = 256 + 36 * CANONICAL_FACE[3 * i + 1];
  }
  return points;
}

const pixel = (image: RgbImage, x: number, y: number) => image.data[3 * (Math.round(y) * image.width + Math.round(x))];

describe('eyeSimilarity', () => {
  it("maps the output's eye corners onto the frame's, whatever the lids do", () => {
    const frame = cropMesh();
    const output = new Float32Array(frame.length);
    // The output: the frame turned by 10°, scaled 1.2 and moved.
    const [c, s] = [1.2 * Math.cos(0.17), 1.2 * Math.sin(0.17)];
    for (let i = 0; i < MESH_POINTS; i++) {
      output[2 * i] = c * frame[2 * i] - s * frame[2 * i + 1] + 20;
      output[2 * i + 1] = s * frame[2 * i] + c * frame[2 * i + 1] - 7;
    }
    const m = eyeSimilarity(frame, output, 'left');
    for (const i of [LANDMARK.leftEyeOuterCorner, LANDMARK.leftEyeInnerCorner, LANDMARK.leftEyeUpperLid]) {
      expect(m[0] * output[2 * i] + m[1] * output[2 * i + 1] + m[2]).toBeCloseTo(frame[2 * i], 3);
      expect(m[3] * output[2 * i] + m[4] * output[2 * i + 1] + m[5]).toBeCloseTo(frame[2 * i + 1], 3);
    }
  });
});

describe('lidDepth', () => {
  it('moves the lid band with the lid and leaves the eyeball deeper in place', () => {
    expect(lidDepth(1, 4, 3)).toBe(1); // in the band of a lid lifted 4 px: its shadow, moved with it
    expect(lidDepth(12, 4, 3)).toBe(8); // deeper: the eyeball where it was
    expect(lidDepth(12, -4, 3)).toBe(16); // under a lid lowered 4 px: the eyeball where it was
  });

  it("hides the eyeball a closing lid covers behind the lid's band: no eyeball is squeezed into the band", () => {
    // A lid lowered 4 px with a 3 px band: the band is the frame's own shadow, the eyeball begins below it.
    for (const depth of [0, 1, 2, 3]) expect(lidDepth(depth, -4, 3)).toBe(depth);
    expect(lidDepth(3.5, -4, 3)).toBe(7.5);
  });

  it('uncovers the eyeball at the band edge over the height an opening lid lifts', () => {
    for (const depth of [3, 4, 5, 6, 7]) expect(lidDepth(depth, 4, 3)).toBe(3);
  });

  it('never folds: the depth read grows with the depth drawn, opening or closing', () => {
    for (const lift of [-6, -2, 0, 2, 6]) {
      let previous = -Infinity;
      for (let depth = 0; depth <= 20; depth += 0.25) {
        const read = lidDepth(depth, lift, 3);
        expect(read).toBeGreaterThanOrEqual(previous);
        previous = read;
      }
    }
  });
});

describe('drawEyeballs', () => {
  it('lets a closing upper lid cover the iris instead of squashing it, and leaves the rest of the crop alone', () => {
    const frame = cropMesh();
    const own = eyeFrame(frame, 'left', 2);
    const [irisX, irisY, radius] = [own.centreX, own.centreY, 0.8 * own.halfGap];
    // White eye with a dark iris at its centre, on grey skin; the iris's darkness grows downward, so a
    // squashed iris reads a different shade where an unmoved one keeps its own.
    const data = new Uint8Array(512 * 512 * 3).fill(150);
    for (let y = 0; y < 512; y++)
      for (let x = 0; x < 512; x++) {
        const d = Math.hypot(x - irisX, y - irisY);
        const inEye = Math.abs((x - own.centreX) / own.halfWidth) ** 2 + Math.abs((y - own.centreY) / own.halfGap) ** 2 < 1;
        if (inEye) data.fill(d < radius ? Math.round(60 - (y - irisY)) : 235, 3 * (y * 512 + x), 3 * (y * 512 + x) + 3);
      }
    const frameCrop: RgbImage = { data, width: 512, height: 512 };
    // The warp lowered the upper lid halfway and squashed the eye under it: here, a flat 100 grey.
    const output = Float32Array.from(frame);
    for (const i of MESH_ANNOTATIONS.leftEyeUpper0) output[2 * i + 1] += 0.5 * (own.centreY - frame[2 * i + 1]);
    const warped: RgbImage = { data: Uint8Array.from(data).fill(100, 0, data.length), width: 512, height: 512 };
    const out = drawEyeballs(warped, frameCrop, frame, output);
    // Below the lowered lid the iris is the frame's own, where it was.
    const below = irisY + 0.5 * radius;
    expect(pixel(out, irisX, below)).toBeCloseTo(pixel(frameCrop, irisX, below), -1);
    // Above the new lid line (the lid's skin now) and far from the eye, the warp's pixels stay.
    expect(pixel(out, irisX, own.centreY - 0.9 * own.halfGap)).toBe(100);
    expect(pixel(out, 20, 20)).toBe(100);
  });

  it('leaves an eye the frame shows closed as the warp drew it', () => {
    const frame = cropMesh();
    for (const i of MESH_ANNOTATIONS.leftEyeUpper0) frame[2 * i + 1] = frame[2 * LANDMARK.leftEyeLowerLid + 1];
    const output = Float32Array.from(frame);
    for (const i of MESH_ANNOTATIONS.leftEyeUpper0) output[2 * i + 1] -= 10;
    const warped: RgbImage = { data: new Uint8Array(512 * 512 * 3).fill(100), width: 512, height: 512 };
    const frameCrop: RgbImage = { data: new Uint8Array(512 * 512 * 3).fill(30), width: 512, height: 512 };
    const out = drawEyeballs(warped, frameCrop, frame, output);
    const opened = eyeFrame(output, 'left', 2);
    expect(pixel(out, opened.centreX, opened.centreY)).toBe(100);
  });
});
