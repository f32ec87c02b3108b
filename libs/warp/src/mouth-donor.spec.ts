import { highFrequencyEnergy, type MaskPlane } from '@facex/imaging';
import { openingRatio, softenedTo, teethCast, upperTeeth, type MouthDonor, type UpperTeeth } from './mouth-donor';
import { openingOf } from './mouth-opening';
import { cropMesh, openMouthCrop, parted } from './testing/mouth-mesh';

describe('upperTeeth', () => {
  const skin = [180, 140, 120],
    teeth = [235, 230, 220],
    dark = [40, 20, 25];
  const open = parted(cropMesh(), 30);

  it('measures the teeth band below the upper inner lip and its colour', () => {
    const band = upperTeeth(openMouthCrop(open, skin, teeth, dark, 12), open);
    expect(band?.top).toBe(0);
    expect(band?.bottom).toBeGreaterThanOrEqual(12);
    expect(band?.bottom).toBeLessThanOrEqual(14);
    expect(band?.colour.map(Math.round)).toEqual(teeth);
  });

  it('starts the band below a strip of lip that lies inside the opening', () => {
    const crop = openMouthCrop(open, skin, teeth, dark, 12);
    // The donor's own lip over the top 3 rows of its opening.
    const withLip = openMouthCrop(open, skin, [200, 70, 80], dark, 3);
    for (let o = 0; o < crop.data.length; o += 3) if (withLip.data[o] === 200) crop.data.set([200, 70, 80], o);
    const band = upperTeeth(crop, open);
    expect(band?.top).toBeGreaterThanOrEqual(3);
    expect(band?.top).toBeLessThanOrEqual(5);
  });

  it('reads a coloured light as a cast of the teeth', () => {
    const neutral = upperTeeth(openMouthCrop(open, skin, teeth, dark, 12), open);
    const bluish = upperTeeth(openMouthCrop(open, skin, [190, 205, 250], dark, 12), open);
    expect(teethCast(bluish as NonNullable<typeof bluish>)).toBeGreaterThan(3 * teethCast(neutral as NonNullable<typeof neutral>));
  });

  it('finds no teeth in a dark opening, nor in a red one (the tongue, lips)', () => {
    expect(upperTeeth(openMouthCrop(open, skin, teeth, dark, -5), open)).toBeNull();
    expect(upperTeeth(openMouthCrop(open, skin, [220, 90, 90], dark, 12), open)).toBeNull();
  });

  it('finds none in a mouth open less than MIN_TEETH_OPENING of its width, teeth or not', () => {
    const ajar = parted(cropMesh(), 4);
    expect(openingRatio(ajar)).toBeLessThan(0.12);
    expect(upperTeeth(openMouthCrop(ajar, skin, teeth, dark, 4), ajar)).toBeNull();
  });

  it('leaves out a bright band that starts far below the upper lip (lower teeth only)', () => {
    // Teeth only in the lowest third: painted as dark over the top, teeth below.
    const lowerOnly = openMouthCrop(open, skin, dark, teeth, 20);
    expect(upperTeeth(lowerOnly, open)).toBeNull();
  });
});

describe('softenedTo', () => {
  const open = parted(cropMesh(), 30);
  // Teeth with sharp gaps between them: every fourth column dark.
  const crop = openMouthCrop(open, [180, 140, 120], [235, 230, 220], [40, 20, 25], 12);
  for (let i = 0; i < 512 * 512; i++) if (i % 4 === 0 && crop.data[3 * i] === 235) crop.data.set([90, 85, 80], 3 * i);
  const donor: MouthDonor = { ref: { bank: 'test', id: 'd#0', label: 'd#0' }, crop, points: open, teeth: upperTeeth(crop, open) as UpperTeeth };
  const mouth: MaskPlane = { data: new Uint8Array(512 * 512), width: 512, height: 512 };
  const { upper, left, right } = openingOf(open);
  for (let y = Math.round(upper[1]); y < upper[1] + 12; y++) mouth.data.fill(255, y * 512 + Math.round(right[0]) + 8, y * 512 + Math.round(left[0]) - 8);

  it("softens a donor sharper than the frame's photo in its mouth, by the detail ratio", () => {
    const sharp = highFrequencyEnergy(crop, mouth);
    const soft = highFrequencyEnergy(softenedTo(donor, 2, 0.5).crop, mouth);
    const softer = highFrequencyEnergy(softenedTo(donor, 2, 0.1).crop, mouth);
    expect(soft).toBeLessThan(0.8 * sharp);
    expect(softer).toBeLessThan(soft);
    // The donor's own crop (the bank's, shared) is left as it was.
    expect(highFrequencyEnergy(donor.crop, mouth)).toBe(sharp);
  });

  it('never sharpens, and leaves a donor alone when a measure is missing', () => {
    expect(softenedTo(donor, 0.5, 2)).toBe(donor);
    expect(softenedTo(donor, 0, 1)).toBe(donor);
    expect(softenedTo(donor, 1, 0)).toBe(donor);
  });
});
