/**
 * The float64 ranges the reference schedulers (diffusers' DDIM, DPM-Solver multistep and Euler discrete)
 * build their timesteps from, computed the way NumPy computes them, because the last bit decides which
 * integer timestep a value rounds to.
 */

/**
 * `np.arange(start, stop, step)` for floats: ⌈(stop − start)/step⌉ values, the k-th being start + k·δ where
 * δ = (start + step) − start. δ is not exactly `step` (T = 1000, step −1000/48 gives 937.4999… for k = 3,
 * not 937.5), and the length can come out one more than (stop − start)/step suggests (step −1000/61 gives
 * 62 values, the last a hair above 0).
 */
export function floatArange(start: number, stop: number, step: number): Float64Array {
  const length = Math.max(0, Math.ceil((stop - start) / step));
  const values = new Float64Array(length);
  const delta = start + step - start;
  for (let k = 0; k < length; k++) values[k] = k === 1 ? start + step : start + k * delta;
  return values;
}

/** `np.linspace(start, stop, count)`: k·((stop − start)/(count − 1)) + start, the last value exactly `stop`. */
export function evenlySpaced(start: number, stop: number, count: number): Float64Array {
  const values = new Float64Array(count);
  if (count === 1) {
    values[0] = start;
    return values;
  }
  const step = (stop - start) / (count - 1);
  for (let k = 0; k < count; k++) values[k] = k * step + start;
  values[count - 1] = stop;
  return values;
}

/** Round half to even, as NumPy's round does (937.5 → 938, 812.5 → 812). */
export function roundHalfToEven(value: number): number {
  const floor = Math.floor(value);
  const fraction = value - floor;
  if (fraction > 0.5) return floor + 1;
  if (fraction < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}
