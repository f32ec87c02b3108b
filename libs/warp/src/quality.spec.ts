import { degradedReasons, DEGRADED_OCCLUDED_TRIANGLES, DEGRADED_POSE_GAP_DEGREES } from './quality';

describe('degradedReasons', () => {
  it('gives no reason within both limits', () => {
    expect(degradedReasons(DEGRADED_POSE_GAP_DEGREES, DEGRADED_OCCLUDED_TRIANGLES)).toEqual([]);
  });

  it('names the pose gap it had to bridge beyond its limit', () => {
    const reasons = degradedReasons(DEGRADED_POSE_GAP_DEGREES + 25.4, 0);
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toContain(`${DEGRADED_POSE_GAP_DEGREES + 25}°`);
  });

  it('names the occluded triangles beyond their limit, beside the pose gap', () => {
    const reasons = degradedReasons(DEGRADED_POSE_GAP_DEGREES + 1, DEGRADED_OCCLUDED_TRIANGLES + 12);
    expect(reasons).toHaveLength(2);
    expect(reasons[1]).toContain(`${DEGRADED_OCCLUDED_TRIANGLES + 12} mesh triangles`);
  });
});
