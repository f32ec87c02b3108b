import { warpRgb } from '@facex/imaging';
import { decodePhoto } from './testing';
import { frameHistogram, histogramDistance, isCut } from './shot-cut';

describe('shot cuts', () => {
  it('sees no cut under a camera move over one photo, and a cut to another photo', async () => {
    const [one, other] = await Promise.all([decodePhoto('sample1.jpg'), decodePhoto('sample4.jpg')]);
    const view = (photo: typeof one, dx: number, zoom: number) => frameHistogram(warpRgb(photo, [zoom / 6, 0, -dx, 0, zoom / 6, 0], 320, 214));
    const [first, moved] = [view(one, 0, 1), view(one, 8, 1.05)];
    expect(isCut(first, moved)).toBe(false);
    expect(isCut(moved, view(other, 0, 1))).toBe(true);
  });

  it('measures the share of pixels that changed bins', () => {
    const black = new Float32Array(64);
    black[0] = 1;
    const half = new Float32Array(64);
    [half[0], half[63]] = [0.5, 0.5];
    expect(histogramDistance(black, black)).toBe(0);
    expect(histogramDistance(black, half)).toBeCloseTo(0.5);
  });
});
