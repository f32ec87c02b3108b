import { applyAffine } from '@facex/imaging';
import { cropMatrix } from './crop-frame';

describe('cropMatrix', () => {
  it('puts the frame centre at the crop centre and its rotated side on the crop edges', () => {
    const frame = { cx: 300, cy: 200, side: 100, angle: Math.PI / 6 };
    const m = cropMatrix(frame, 192);
    const [cx, cy] = applyAffine(m, 300, 200);
    expect(cx).toBeCloseTo(95.5, 6);
    expect(cy).toBeCloseTo(95.5, 6);
    // a point half a side along the frame's rotated x axis lands on the crop's right edge
    const [ex, ey] = applyAffine(m, 300 + 50 * Math.cos(frame.angle), 200 + 50 * Math.sin(frame.angle));
    expect(ex).toBeCloseTo(95.5 + 96, 6);
    expect(ey).toBeCloseTo(95.5, 6);
  });
});
