import type { RgbImage } from '@facex/imaging';
import { drawMouthInterior } from './mouth-interior';
import { upperTeeth, type MouthDonor, type UpperTeeth } from './mouth-donor';
import { LANDMARK, MESH_ANNOTATIONS } from './topology';
import { cropMesh, openMouthCrop, parted, plain } from './testing/mouth-mesh';

describe('drawMouthInterior', () => {
  const red: RgbImage = { data: new Uint8Array(512 * 512 * 3).map((_, k) => (k % 3 === 0 ? 200 : 60)), width: 512, height: 512 };
  const centre = (mesh: Float32Array) => {
    const [u, l] = [LANDMARK.upperLipInner, LANDMARK.lowerLipInner];
    return [Math.round((mesh[2 * u] + mesh[2 * l]) / 2), Math.round((mesh[2 * u + 1] + mesh[2 * l + 1]) / 2)];
  };

  const at = (image: RgbImage, x: number, y: number) => Array.from(image.data.subarray(3 * (y * 512 + x), 3 * (y * 512 + x) + 3));

  it('draws a dark cavity, not the lips, into a mouth it opens when the frame shows its lips barely apart', () => {
    const mesh = cropMesh();
    const [right, left] = [MESH_ANNOTATIONS.lipsLowerInner[0], MESH_ANNOTATIONS.lipsLowerInner[MESH_ANNOTATIONS.lipsLowerInner.length - 1]];
    const innerWidth = Math.abs(mesh[2 * left] - mesh[2 * right]);
    // Apart by 6 % of the mouth's width: where the lips meet, no interior (below MIN_FRAME_OPENING).
    const frame = parted(mesh, 0.06 * innerWidth);
    const output = parted(mesh, 30);
    const out = drawMouthInterior(red, red, frame, output).image;
    // Just below the upper lip, where the frame's thin gap would have been carried.
    const [x, y] = [Math.round(output[2 * LANDMARK.upperLipInner]), Math.round(output[2 * LANDMARK.upperLipInner + 1] + 4)];
    expect(out.data[3 * (y * 512 + x)]).toBeLessThan(80);
  });

  it('leaves a mouth the edit does not open as the frame shows it, lips barely apart included', () => {
    const mesh = parted(cropMesh(), 3);
    const out = drawMouthInterior(red, red, mesh, mesh).image;
    expect(Buffer.compare(out.data, red.data)).toBe(0);
  });

  it("keeps an opening mouth's teeth with the upper lip and opens the cavity below them, not a second row read from the lower lip", () => {
    const frame = parted(cropMesh(), 20);
    const output = parted(cropMesh(), 50);
    // The frame's opening is all teeth: FORD's inner lips lie on the upper teeth's edge in a smile.
    const teeth: RgbImage = { data: new Uint8Array(512 * 512 * 3).fill(230), width: 512, height: 512 };
    const out = drawMouthInterior(red, teeth, frame, output).image;
    const [x, upper, lower] = [Math.round(output[2 * LANDMARK.upperLipInner]), output[2 * LANDMARK.upperLipInner + 1], output[2 * LANDMARK.lowerLipInner + 1]];
    expect(out.data[3 * (Math.round(upper + 5) * 512 + x)]).toBe(230);
    // Below them the cavity (the tongue, in an opening this wide), not a second row of teeth.
    const below = at(out, x, Math.round(lower - 5));
    expect(below[1]).toBeLessThan(120);
    expect(below[0]).toBeGreaterThan(below[1]);
  });

  it("carries the frame's interior into the opening when the frame's mouth is open", () => {
    const frame = parted(cropMesh(), 30);
    const output = parted(cropMesh(), 40);
    const out = drawMouthInterior(red, red, frame, output).image;
    const [x, y] = centre(output);
    expect(out.data[3 * (y * 512 + x)]).toBe(200);
  });

  describe('with a donor mouth', () => {
    // A smile lit bluish: teeth 14 px deep under the upper lip, the dark mouth below; its skin brighter than the frame's.
    const donorPoints = parted(cropMesh(), 30);
    const donorCrop = openMouthCrop(donorPoints, [170, 170, 190], [190, 205, 250], [40, 25, 30], 14);
    const donor: MouthDonor = {
      ref: { bank: 'test', id: 'donor#0', label: 'donor#0' },
      crop: donorCrop,
      points: donorPoints,
      teeth: upperTeeth(donorCrop, donorPoints) as UpperTeeth,
    };
    const closed = parted(cropMesh(), 1);
    const output = parted(cropMesh(), 40);
    const x = Math.round(output[2 * LANDMARK.upperLipInner]);
    const upper = output[2 * LANDMARK.upperLipInner + 1];
    const luma = ([r, g, b]: number[]) => 0.299 * r + 0.587 * g + 0.114 * b;

    it("opens a closed frame mouth onto the donor's teeth band under the upper lip, neutral and as bright against the frame's skin as against the donor's", () => {
      expect(donor.teeth.bottom).toBeGreaterThanOrEqual(12);
      const grey = plain([120, 120, 120]);
      const { image, donorShare } = drawMouthInterior(grey, grey, closed, output, donor);
      const tooth = at(image, x, Math.round(upper + 5));
      // Neutral in a neutral frame: the donor's blue cast is gone.
      expect(Math.max(...tooth) - Math.min(...tooth)).toBeLessThanOrEqual(4);
      // Teeth against the skin around the mouth: as bright relative to the frame's skin as they were to the donor's.
      const expected = (luma([190, 205, 250]) * 120) / luma([170, 170, 190]);
      expect(Math.abs(luma(tooth) - expected)).toBeLessThan(6);
      // The teeth keep their size: below the band (and the donor's own dark mouth), the cavity.
      expect(luma(at(image, x, Math.round(upper + 24)))).toBeLessThan(40);
      expect(donorShare).toBeGreaterThan(0.2);
      expect(donorShare).toBeLessThan(1);
    });

    it("tints the teeth a little towards a warm frame's skin, far less than the skin itself", () => {
      const tooth = at(drawMouthInterior(red, red, closed, output, donor).image, x, Math.round(upper + 5));
      expect(tooth[0]).toBeGreaterThan(tooth[2]);
      expect(tooth[0] / tooth[2]).toBeLessThan(1.5);
    });

    it('without a donor draws the cavity as before', () => {
      const { image, donorShare } = drawMouthInterior(red, red, closed, output);
      expect(luma(at(image, x, Math.round(upper + 5)))).toBeLessThan(40);
      expect(donorShare).toBe(0);
    });

    it("keeps the frame's own interior where the frame's mouth is open, donor or not", () => {
      const frame = parted(cropMesh(), 20);
      const teeth: RgbImage = { data: new Uint8Array(512 * 512 * 3).fill(230), width: 512, height: 512 };
      const withDonor = drawMouthInterior(red, teeth, frame, output, donor);
      expect(Buffer.compare(withDonor.image.data, drawMouthInterior(red, teeth, frame, output).image.data)).toBe(0);
      expect(withDonor.donorShare).toBe(0);
    });
  });
});
