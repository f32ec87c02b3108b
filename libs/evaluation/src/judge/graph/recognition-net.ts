/**
 * face-api's FaceRecognitionNet (a ResNet-34-like network after dlib's face recogniser): a 150 × 150 RGB face
 * to a 128-d descriptor, built from face-api's architecture (src/faceRecognitionNet) with its weights by name.
 */
import type { ConstTensor } from '@facex/model-pack';
import { TfWeightsNet, type Feature } from './tf-weights-net';

export const RECOGNITION_INPUT = { name: 'face', size: 150 } as const;
export const RECOGNITION_OUTPUT = 'descriptor';
/** face-api's input normalisation (shared with the landmark net): (pixel − mean RGB) / 255. */
export const FACE_API_MEAN_RGB = [122.782, 117.001, 104.298] as const;

/** (x − mean RGB) / 255 on an NCHW 0…255 image. */
export function faceApiNormalise(net: TfWeightsNet, x: Feature): Feature {
  const mean = net.channelConstant('mean_rgb', Float32Array.from(FACE_API_MEAN_RGB));
  return net.binary('Div', net.binary('Sub', x, mean, 'centred'), net.scalar(255), 'normalised');
}

/** conv + bias, then the scale layer, then an optional ReLU (convLayer.ts). */
function convLayer(net: TfWeightsNet, x: Feature, prefix: string, stride: number, relu: boolean, padding: 'same' | 'valid' = 'same'): Feature {
  const out = net.channelAffine(
    net.conv(x, `${prefix}/conv/filters`, stride, padding, `${prefix}/conv/bias`),
    `${prefix}/scale/weights`,
    `${prefix}/scale/biases`,
  );
  return relu ? net.relu(out) : out;
}

function residual(net: TfWeightsNet, x: Feature, prefix: string): Feature {
  const out = convLayer(net, convLayer(net, x, `${prefix}/conv1`, 1, true), `${prefix}/conv2`, 1, false);
  return net.relu(net.binary('Add', out, x, `${prefix}/sum`));
}

/**
 * The downsampling block: a stride-2 'valid' convolution beside a 2 × 2 average pool of the input, the pool
 * padded with zero channels, and the convolution with a zero row and column where the two sizes differ.
 */
function residualDown(net: TfWeightsNet, x: Feature, prefix: string): Feature {
  let out = convLayer(net, convLayer(net, x, `${prefix}/conv1`, 2, true, 'valid'), `${prefix}/conv2`, 1, false);
  let pooled = net.pool('AveragePool', x, 2, 2, 'valid');
  if (pooled.height !== out.height || pooled.width !== out.width) out = net.padEnd(out, { height: 1, width: 1 });
  if (pooled.channels !== out.channels) pooled = net.padEnd(pooled, { channels: out.channels - pooled.channels });
  return net.relu(net.binary('Add', pooled, out, `${prefix}/sum`));
}

export function buildRecognitionGraph(weights: ReadonlyMap<string, ConstTensor>, version: string): Uint8Array {
  const net = new TfWeightsNet(weights, 'face_recognition_model');
  let x = faceApiNormalise(net, net.imageInput(RECOGNITION_INPUT.name, RECOGNITION_INPUT.size));
  x = net.pool('MaxPool', convLayer(net, x, 'conv32_down', 2, true, 'valid'), 3, 2, 'valid');
  for (const block of ['conv32_1', 'conv32_2', 'conv32_3']) x = residual(net, x, block);
  x = residualDown(net, x, 'conv64_down');
  for (const block of ['conv64_1', 'conv64_2', 'conv64_3']) x = residual(net, x, block);
  x = residualDown(net, x, 'conv128_down');
  for (const block of ['conv128_1', 'conv128_2']) x = residual(net, x, block);
  x = residualDown(net, x, 'conv256_down');
  for (const block of ['conv256_1', 'conv256_2']) x = residual(net, x, block);
  x = residualDown(net, x, 'conv256_down_out');
  net.output(RECOGNITION_OUTPUT, net.dense(net.spatialMean(x), 'fc'), ['batch', 128]);
  return net.encode('face_recognition_net', version);
}
