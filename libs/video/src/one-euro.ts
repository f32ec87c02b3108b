/**
 * The One-Euro filter (Casiez, Roussel and Vogel, CHI 2012) over a vector of values: a low-pass filter whose
 * cut-off rises with the signal's speed, so a still face loses its jitter while a moving one does not lag.
 *
 *   cutoff = minCutoff + beta · |filtered derivative|,  alpha(cutoff) = 1 / (1 + 1 / (2π · cutoff · dt))
 *
 * Each component is filtered on its own (landmarks, pose angles, mask pixels alike).
 */
export interface OneEuroParameters {
  /** Hz: the cut-off when the value stands still (lower: less jitter, more lag at low speed). */
  minCutoff: number;
  /** How fast the cut-off rises with speed (higher: less lag when moving). */
  beta: number;
  /** Hz: the cut-off of the derivative estimate. */
  derivativeCutoff: number;
}

/**
 * Parameters per signal, in the signal's units per second (see temporal-smoothing.ts for the signals).
 * Rigid motion of the face (centre, and scale and angle times the face's radius: pixels): 1.5 Hz still and
 * β 0.5, so it follows a moving camera or head within a frame (on the stability clip the edit trails the camera
 * by ≈ 0.35 px, ≈ 0.9 px with β 0.1: a lag that builds up over a track's first frames, a slide of the edit).
 * Shape (the mesh in the face's own frame, pixels): 0.2 Hz still removes FORD's per-frame noise; β 0.02 lets an
 * expression (tens of px/s) through.
 * Pose in degrees, gaze and expression in their units; masks in 0…255 levels.
 */
export const ONE_EURO_RIGID: OneEuroParameters = { minCutoff: 1.5, beta: 0.5, derivativeCutoff: 1 };
export const ONE_EURO_SHAPE: OneEuroParameters = { minCutoff: 0.2, beta: 0.02, derivativeCutoff: 1 };
export const ONE_EURO_POSE: OneEuroParameters = { minCutoff: 0.5, beta: 0.05, derivativeCutoff: 1 };
export const ONE_EURO_MASKS: OneEuroParameters = { minCutoff: 0.5, beta: 0.01, derivativeCutoff: 1 };

function alpha(cutoff: number, dt: number): number {
  return 1 / (1 + 1 / (2 * Math.PI * cutoff * dt));
}

export class OneEuroFilter {
  private previous: Float64Array | null = null;
  private derivative: Float64Array | null = null;
  private previousTime = 0;

  constructor(private readonly parameters: OneEuroParameters) {}

  /** Forget the past: the next value starts the filter afresh (a cut, a new track). */
  reset(): void {
    this.previous = null;
    this.derivative = null;
  }

  /** The filtered values at time `seconds` (strictly increasing); the first call returns its input. */
  filter(values: ArrayLike<number>, seconds: number): Float64Array {
    if (!this.previous || !this.derivative || this.previous.length !== values.length || seconds <= this.previousTime) {
      this.previous = Float64Array.from(values);
      this.derivative = new Float64Array(values.length);
      this.previousTime = seconds;
      return Float64Array.from(values);
    }
    const dt = seconds - this.previousTime;
    const { minCutoff, beta, derivativeCutoff } = this.parameters;
    const derivativeAlpha = alpha(derivativeCutoff, dt);
    const out = new Float64Array(values.length);
    for (let i = 0; i < values.length; i++) {
      const speed = (values[i] - this.previous[i]) / dt;
      const smoothedSpeed = this.derivative[i] + derivativeAlpha * (speed - this.derivative[i]);
      this.derivative[i] = smoothedSpeed;
      const a = alpha(minCutoff + beta * Math.abs(smoothedSpeed), dt);
      out[i] = this.previous[i] + a * (values[i] - this.previous[i]);
    }
    this.previous = out.slice();
    this.previousTime = seconds;
    return out;
  }
}
