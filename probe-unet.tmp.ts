import * as ort from 'onnxruntime-node';
import { buildUNetGraph } from './libs/diffusion/src/graphs/unet';
import { TINY_UNET, SD15_UNET } from './libs/diffusion/src/graphs/unet-config';
import { RandomWeightSource, WeightScope } from './libs/diffusion/src/weights/weight-source';
(async () => {
  const src = new RandomWeightSource(1);
  let t0 = Date.now();
  const built = buildUNetGraph(TINY_UNET, { unet: new WeightScope(src, 'model.diffusion_model.'), frc: new WeightScope(src, 'frc.') }, { precision: 'float32', attention: 'matmul' });
  console.log('bytes', built.model.length, 'params', built.parameterCount, Date.now() - t0);
  t0 = Date.now();
  const s = await ort.InferenceSession.create(built.model);
  const B = 2, h = 16, w = 16;
  const out = await s.run({ latents: new ort.Tensor('float32', new Float32Array(B * 4 * h * w).fill(0.3), [B, 4, h, w]), timesteps: new ort.Tensor('float32', Float32Array.of(10, 500), [B]), context: new ort.Tensor('float32', new Float32Array(B * 5 * 64).fill(0.1), [B, 5, 64]) });
  console.log(out.noise!.dims, Array.from((out.noise!.data as Float32Array).slice(0, 4)), Date.now() - t0);
  // Count sd15 params without building data
  let n = 0;
  const counter = { random: true, description: 'count', tensor: (_k: string, shape: readonly number[]) => { const c = shape.reduce((a, b) => a * b, 1); n += c; return new Float32Array(c); } };
  void SD15_UNET; void counter;
})();
