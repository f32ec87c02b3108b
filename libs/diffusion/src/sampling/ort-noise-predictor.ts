import * as ort from 'onnxruntime-node';
import { FacexError } from '@facex/contracts';
import { UNET_INPUTS, UNET_OUTPUT } from '../graphs/unet';
import { LATENT_CHANNELS, type NoisePredictor, type PredictorDims } from './noise-predictor';

/** The U-Net session's feeds for one call (host tensors; every graph input is float32 whatever the precision). */
export function unetFeeds(latents: Float32Array, timesteps: Float32Array, context: Float32Array, dims: PredictorDims): Record<string, ort.Tensor> {
  const { batch, height, width, tokens, contextDim } = dims;
  return {
    [UNET_INPUTS.latents]: new ort.Tensor('float32', latents, [batch, LATENT_CHANNELS, height, width]),
    [UNET_INPUTS.timesteps]: new ort.Tensor('float32', timesteps, [batch]),
    [UNET_INPUTS.context]: new ort.Tensor('float32', context, [batch, tokens, contextDim]),
  };
}

/**
 * The U-Net's onnxruntime-node session as a NoisePredictor. The caller creates the session (execution
 * provider, threads) from the diffusion pack and keeps ownership; this only feeds and reads one call.
 */
export class OrtNoisePredictor implements NoisePredictor {
  constructor(private readonly session: ort.InferenceSession) {}

  async predict(latents: Float32Array, timesteps: Float32Array, context: Float32Array, dims: PredictorDims): Promise<Float32Array> {
    const results = await this.session.run(unetFeeds(latents, timesteps, context, dims));
    const noise = results[UNET_OUTPUT];
    if (!noise || noise.type !== 'float32') {
      throw new FacexError('model_pack_invalid', `the U-Net must return a float32 '${UNET_OUTPUT}' output, got ${noise ? noise.type : 'none'}`, {
        field: UNET_OUTPUT,
      });
    }
    return noise.data as Float32Array;
  }
}
