import { motionMarkdown, summarise, type MotionRecord } from './motion-eval';

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

  it('writes one table row per control', () => {
    const markdown = motionMarkdown(summarise([record(0, 'yaw', 10, 9), record(0, 'smile', 0.05, 0.01)]), 'caption');
    expect(markdown.split('\n').filter((line) => line.startsWith('| yaw') || line.startsWith('| smile'))).toHaveLength(2);
    expect(markdown).toMatch(/caption/);
  });
});
