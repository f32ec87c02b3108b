import { isMonotone, motionMarkdown, readingNoise, summarise, type MotionRecord } from './motion-eval';

const record = (person: number, control: MotionRecord['control'], requested: number, measured: number | null, effective = requested): MotionRecord => ({
  person,
  control,
  requested,
  effective,
  measured,
  judgeDistance: 0.2,
  ssimOutside: 1,
});

describe('the motion summary', () => {
  it('takes the median absolute error of the measured change against the clamped request, and passes pose within 3°', () => {
    const [yaw] = summarise([record(0, 'yaw', 10, 9), record(1, 'yaw', 10, 14), record(2, 'yaw', -15, -13), record(3, 'yaw', 15, null)]);
    expect(yaw).toMatchObject({ control: 'yaw', requests: 4, found: 3, medianError: 2, tolerance: 3, pass: true });
    const [clamped] = summarise([record(0, 'pitch', 15, 5.5, 5), record(1, 'pitch', 15, 4, 5)]);
    expect(clamped.medianError).toBeCloseTo(0.75);
  });

  it('calls openness monotone only when every person follows the requested order, leaving clamped-away requests out', () => {
    const monotone = [
      record(0, 'mouthOpen', 0.1, 0.05),
      record(0, 'mouthOpen', 0.2, 0.12),
      record(1, 'mouthOpen', 0.1, 0.02),
      record(1, 'mouthOpen', 0.2, 0.3, 0),
    ];
    expect(summarise(monotone)[0]).toMatchObject({ monotone: 1, pass: true });
    const backwards = [record(0, 'eyeOpen', -0.6, -0.1), record(0, 'eyeOpen', -0.3, -0.2), record(1, 'eyeOpen', -0.3, -0.1)];
    expect(summarise(backwards)[0]).toMatchObject({ monotone: 0.5, pass: false });
  });

  it("allows a fall within FORD's noise on the reading, measured on the outputs of requests that leave that feature alone", () => {
    // FORD's eye reading moves by 0.01 … 0.05 under mouth edits: the 90th percentile is 0.05.
    const mouthEdits = [0.01, 0.02, 0.03, 0.04, 0.05].map((eye, k) => ({
      ...record(k, 'mouthShift', 0.08, 0.08),
      openness: { eyeOpenLeft: -eye, mouthOpen: 0 },
    }));
    // An eye already shut, asked to shut further: two renders alike, FORD's readings 0.03 apart the wrong way.
    const shut = [record(0, 'eyeOpen', -0.6, -0.01), record(0, 'eyeOpen', -0.3, -0.04), record(0, 'eyeOpen', 0.3, 0.02)];
    expect(readingNoise(mouthEdits, 'eyeOpen')).toBeCloseTo(0.05);
    expect(summarise([...shut, ...mouthEdits]).find((s) => s.control === 'eyeOpen')).toMatchObject({ monotone: 1, strictlyMonotone: 0, pass: true });
    // Without requests that leave the eyes alone there is no noise to allow for.
    expect(summarise(shut)[0]).toMatchObject({ noise: 0, monotone: 0, pass: false });
  });

  it('does not let small falls add up: each change is held against every one at a smaller request', () => {
    const points = [0.1, 0.2, 0.3].map((effective, k) => ({ effective, measured: 0.05 - 0.04 * k }));
    expect(isMonotone(points, 0.05)).toBe(false);
    expect(isMonotone(points.slice(0, 2), 0.05)).toBe(true);
  });

  it('writes one table row per control', () => {
    const markdown = motionMarkdown(summarise([record(0, 'yaw', 10, 9), record(0, 'smile', 0.05, 0.01)]), 'caption');
    expect(markdown.split('\n').filter((line) => line.startsWith('| yaw') || line.startsWith('| smile'))).toHaveLength(2);
    expect(markdown).toMatch(/caption/);
  });
});
