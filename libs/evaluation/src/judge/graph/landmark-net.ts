/**
 * face-api's FaceLandmark68Net: a 112 × 112 RGB face crop to 68 points (x, y interleaved, as fractions of the
 * padded square input), built from face-api's architecture (FaceFeatureExtractor's four dense blocks, a 7 × 7
 * average pool and a dense layer) with its weights by name.
 */
import type { ConstTensor } from '@facex/model-pack';
import { faceApiNormalise } from './recognition-net';
import { TfWeightsNet, type Feature } from './tf-weights-net';

export const LANDMARK_INPUT = { name: 'face', size: 112 } as const;
export const LANDMARK_OUTPUT = 'landmarks';

/** tf.separableConv2d (depthwise, then a 1 × 1 convolution) + bias: depthwiseSeparableConv.ts. */
function separable(net: TfWeightsNet, x: Feature, prefix: string, stride: number): Feature {
  const depthwise = net.depthwise(x, `${prefix}/depthwise_filter`, stride, 'same');
  return net.conv(depthwise, `${prefix}/pointwise_filter`, 1, 'valid', `${prefix}/bias`);
}

/** denseBlock4: four convolutions, each fed the ReLU of the sum of all earlier outputs (denseBlock.ts). */
function denseBlock(net: TfWeightsNet, x: Feature, prefix: string, first: boolean): Feature {
  const out1 = net.relu(first ? net.conv(x, `${prefix}/conv0/filters`, 2, 'same', `${prefix}/conv0/bias`) : separable(net, x, `${prefix}/conv0`, 2));
  const out2 = separable(net, out1, `${prefix}/conv1`, 1);
  const out3 = separable(net, net.relu(net.binary('Add', out1, out2, `${prefix}/in3`)), `${prefix}/conv2`, 1);
  const in4 = net.relu(net.binary('Add', out1, net.binary('Add', out2, out3, `${prefix}/s23`), `${prefix}/in4`));
  const out4 = separable(net, in4, `${prefix}/conv3`, 1);
  const sum = net.binary('Add', out1, net.binary('Add', out2, net.binary('Add', out3, out4, `${prefix}/s34`), `${prefix}/s234`), `${prefix}/out`);
  return net.relu(sum);
}

export function buildLandmarkGraph(weights: ReadonlyMap<string, ConstTensor>, version: string): Uint8Array {
  const net = new TfWeightsNet(weights, 'face_landmark_68_model');
  let x = faceApiNormalise(net, net.imageInput(LANDMARK_INPUT.name, LANDMARK_INPUT.size));
  x = denseBlock(net, x, 'dense0', true);
  for (const block of ['dense1', 'dense2', 'dense3']) x = denseBlock(net, x, block, false);
  const pooled = net.pool('AveragePool', x, 7, 2, 'valid');
  const flat = net.nhwcReshape(pooled, [-1], 'flat');
  net.output(LANDMARK_OUTPUT, net.dense(flat, 'fc/weights', 'fc/bias'), ['batch', 136]);
  return net.encode('face_landmark_68_net', version);
}
