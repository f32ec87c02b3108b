/**
 * Classifier-free guidance: ε = ε_uncond + g·(ε_cond − ε_uncond), where ε_uncond is the prediction against
 * the null token set. `out` may alias either input.
 */
export function applyClassifierFreeGuidance(cond: Float32Array, uncond: Float32Array, scale: number, out: Float32Array): Float32Array {
  for (let i = 0; i < out.length; i++) {
    const u = uncond[i];
    out[i] = u + scale * (cond[i] - u);
  }
  return out;
}
