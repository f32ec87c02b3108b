import { boxIou, followTrack, NEW_TRACK } from './face-track';

const box = (x: number, y = 0, size = 100) => ({ x, y, width: size, height: size });

describe('followTrack', () => {
  it('starts on the chosen face, then follows the face that overlaps it even when another is larger', () => {
    const first = followTrack(NEW_TRACK, [box(0), box(300)], 1, 30);
    expect(first.index).toBe(1);
    // The neighbour grew to be the largest (first in FORD's order); the track stays on its own face.
    const next = followTrack(first.state, [box(0, 0, 200), box(310)], 1, 30);
    expect(next.index).toBe(1);
    expect(next.state.box).toEqual(box(310));
  });

  it('reports no face when nothing overlaps, keeps the last box, and restarts after too many misses', () => {
    let step = followTrack(NEW_TRACK, [box(0)], 0, 2);
    step = followTrack(step.state, [box(600)], 0, 2);
    expect(step.index).toBeNull();
    expect(step.state).toEqual({ box: box(0), missed: 1 });
    step = followTrack(step.state, [box(5)], 0, 2);
    expect(step.index).toBe(0);
    step = followTrack({ box: box(0), missed: 3 }, [box(600)], 0, 2);
    expect(step.index).toBe(0);
  });

  it('has no face to start on when the frame has none', () => {
    expect(followTrack(NEW_TRACK, [], 0, 30).index).toBeNull();
  });
});

describe('boxIou', () => {
  it('is 1 for the same box, 0 apart and 1/3 for half-shifted boxes', () => {
    expect(boxIou(box(0), box(0))).toBe(1);
    expect(boxIou(box(0), box(200))).toBe(0);
    expect(boxIou(box(0), box(50))).toBeCloseTo(1 / 3);
  });
});
