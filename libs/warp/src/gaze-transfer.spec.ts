import { analyzeSamplePeople, type Person } from '@facex/evaluation';
import type { RgbImage } from '@facex/imaging';
import { irisMoves, moveIrises, type IrisMove } from './gaze-transfer';
import { fitFace, outputMesh } from './output-mesh';
import { eyeFrame } from './topology';

/** An almond eye opening (an ellipse, 24 points) centred at (cx, cy) on a skin-coloured 120 × 80 image. */
function eye(cx: number, cy: number, irisX: number, irisLuma: number): { image: RgbImage; opening: number[] } {
  const opening = Array.from({ length: 24 }, (_, k) => [cx + 40 * Math.cos((k * Math.PI) / 12), cy + 14 * Math.sin((k * Math.PI) / 12)]).flat();
  const data = new Uint8Array(120 * 80 * 3);
  for (let y = 0, p = 0; y < 80; y++) {
    for (let x = 0; x < 120; x++, p += 3) {
      const inside = ((x - cx) / 40) ** 2 + ((y - cy) / 14) ** 2 < 1;
      const value = !inside ? 170 : Math.hypot(x - irisX, y - cy) < 12 ? irisLuma : 235;
      data[p] = data[p + 1] = data[p + 2] = value;
    }
  }
  return { image: { data, width: 120, height: 80 }, opening };
}

/** Mean x of the pixels darker than `below` inside the ellipse's inner part. */
function darkCentroid(image: RgbImage, below: number): number {
  let sum = 0,
    count = 0;
  for (let y = 30; y < 50; y++)
    for (let x = 25; x < 95; x++)
      if (image.data[3 * (y * 120 + x)] < below) {
        sum += x;
        count++;
      }
  return sum / count;
}

describe('moveIrises', () => {
  it('moves the iris to its new centre, fills its old place with the white, and leaves the skin alone', () => {
    const { image, opening } = eye(60, 40, 50, 40);
    const move: IrisMove = { eye: 'left', from: [50, 40], to: [68, 40], radius: 12, opening };
    const out = moveIrises(image, [move]);
    expect(darkCentroid(out, 120)).toBeCloseTo(68, 0);
    expect(out.data[3 * (40 * 120 + 42)]).toBeGreaterThan(200); // the iris's far side, now white
    for (const [x, y] of [
      [5, 5],
      [60, 10],
      [110, 70],
    ])
      expect(out.data[3 * (y * 120 + x)]).toBe(170);
  });

  it('keeps the lashes and lid shadow in the opening, and still moves the iris when they darken most of the white', () => {
    const { image, opening } = eye(60, 40, 50, 110);
    // Dark bands along both lids inside the opening: most of the white around the iris, on average darker than it.
    for (let y = 0; y < 80; y++)
      for (let x = 0; x < 120; x++) {
        const inside = ((x - 60) / 40) ** 2 + ((y - 40) / 14) ** 2 < 1;
        if (inside && Math.abs(y - 40) > 3 && Math.hypot(x - 50, y - 40) >= 12) image.data.fill(40, 3 * (y * 120 + x), 3 * (y * 120 + x) + 3);
      }
    const out = moveIrises(image, [{ eye: 'left', from: [50, 40], to: [68, 40], radius: 12, opening }]);
    expect(out.data[3 * (40 * 120 + 42)]).toBeGreaterThan(200); // the iris's far side, now the white beside it
    expect(out.data[3 * (30 * 120 + 85)]).toBe(40); // a lash away from either iris
  });

  it('leaves an eye whose "white" is not lighter than its iris as it is', () => {
    const { image, opening } = eye(60, 40, 50, 225);
    const out = moveIrises(image, [{ eye: 'left', from: [50, 40], to: [68, 40], radius: 12, opening }]);
    expect(Buffer.from(out.data).equals(Buffer.from(image.data))).toBe(true);
  });
});

describe('irisMoves on real faces', () => {
  let people: Person[];
  beforeAll(async () => {
    people = await analyzeSamplePeople(['sample3.jpg', 'sample4.jpg']);
  });

  it('places each moved iris at the gaze input’s offset along the output eye, and moves nothing for the same gaze', () => {
    let moved = 0;
    for (const [source, target] of [
      [0, 1],
      [1, 2],
      [3, 4],
      [4, 5],
    ] as const) {
      const [s, t] = [people[source].representation, people[target].representation];
      const mesh = outputMesh({ identity: fitFace(s), expression: fitFace(t), pose: fitFace(t), frame: fitFace(t), frameAlignment: t.alignment.matrix });
      expect(irisMoves(mesh.points, t, t)).toEqual([]);
      for (const move of irisMoves(mesh.points, s, t)) {
        const frame = eyeFrame(mesh.points, move.eye, 2);
        const offset = ((move.to[0] - frame.centreX) * frame.ux + (move.to[1] - frame.centreY) * frame.uy) / frame.halfWidth;
        const reach = 0.95 - move.radius / frame.halfWidth;
        expect(offset).toBeCloseTo(Math.min(reach, Math.max(-reach, t.motion.gaze[move.eye].offsetX)), 5);
        moved++;
      }
    }
    expect(moved).toBeGreaterThan(0);
  });
});
