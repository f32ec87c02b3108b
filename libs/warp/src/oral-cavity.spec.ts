import { mouthFrame, openingOf } from './mouth-opening';
import { oralCavity } from './oral-cavity';
import { cropMesh, parted } from './testing/mouth-mesh';

describe('oralCavity', () => {
  const lip = [180, 70, 80] as const;
  const skin = [200, 160, 130] as const;
  const luma = (c: number[]) => 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2];
  /** The colour `aboveLower` crop pixels above the lower inner lip, at `share` of the half width from the middle. */
  const sample = (gap: number, share: number, aboveLower: number) => {
    const opening = openingOf(parted(cropMesh(), gap));
    const frame = mouthFrame(opening);
    const along = (share * opening.width) / 2;
    return oralCavity(opening, lip, skin)(...frame.point(along, frame.lip('lower', along) - aboveLower));
  };

  it('is dark all the way down in an opening too narrow to show the tongue', () => {
    const width = openingOf(cropMesh()).width;
    for (const above of [1, 3, 6]) expect(luma(sample(0.1 * width, 0, above))).toBeLessThan(0.35 * luma([...lip]));
  });

  it('shows a pink tongue above the lower lip of a wide-open mouth, dark towards the upper lip', () => {
    const width = openingOf(cropMesh()).width;
    const gap = 0.45 * width;
    const tongue = sample(gap, 0, 2);
    expect(tongue[0]).toBeGreaterThan(tongue[1] * 1.4);
    expect(luma(tongue)).toBeGreaterThan(0.4 * luma([...skin]));
    expect(luma(tongue)).toBeLessThan(luma([...skin]));
    expect(luma(sample(gap, 0, gap - 3))).toBeLessThan(0.35 * luma([...lip]));
  });

  it('rises highest in the middle of the mouth and darkens further in', () => {
    const width = openingOf(cropMesh()).width;
    const gap = 0.45 * width;
    expect(luma(sample(gap, 0, 2))).toBeGreaterThan(2 * luma(sample(gap, 0.8, 2)));
    expect(luma(sample(gap, 0, 1))).toBeGreaterThan(luma(sample(gap, 0, 5)));
  });
});
