/** The SD 1.5 latent space has four channels. */
export const LATENT_CHANNELS = 4;

/** Shape of one predictor call: latents [batch, 4, height, width], timesteps [batch], context [batch, tokens, contextDim]. */
export interface PredictorDims {
  readonly batch: number;
  readonly height: number;
  readonly width: number;
  readonly tokens: number;
  readonly contextDim: number;
}

/**
 * An ε-prediction U-Net: given noisy latents, one timestep per sample and the cross-attention context,
 * returns the predicted noise [batch, 4, height, width]. The onnxruntime-node session implements it with
 * inputs `latents`, `timesteps`, `context` and output `noise`. Samples must not influence each other, so a
 * batched call equals the same samples run one by one.
 */
export interface NoisePredictor {
  predict(latents: Float32Array, timesteps: Float32Array, context: Float32Array, dims: PredictorDims): Promise<Float32Array>;
}
