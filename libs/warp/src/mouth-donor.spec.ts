import { openingRatio, teethCast, upperTeeth } from './mouth-donor';
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
