/**
 * face-api's SSD MobileNet v1 face detector, built from its architecture (src/ssdMobilenetv1): a 512 × 512
 * RGB frame (0…255) to 5118 anchor boxes [ymin, xmin, ymax, xmax] (fractions of the square input) and their
 * face scores. The anchors' decoding (outputLayer.ts) is part of the graph; non-maximum suppression is not.
 */
import type { ConstTensor } from '@facex/model-pack';
import { TfWeightsNet, type Feature } from './tf-weights-net';

export const SSD_INPUT = { name: 'image', size: 512 } as const;
export const SSD_OUTPUTS = { boxes: 'boxes', scores: 'scores' } as const;
export const SSD_ANCHORS = 5118;
/** TF's batch-norm epsilon as face-api passes it. */
const BATCH_NORM_EPSILON = 0.0010000000474974513;
/** The depthwise layers that halve the feature map (mobileNetV1.ts). */
const STRIDE_2_LAYERS = new Set([2, 4, 6, 12]);
/** Constants of the exported TF graph that face-api replaces by its own (127.5 and 1) and never reads. */
const IGNORED_WEIGHTS = ['Preprocessor/mul/x', 'Preprocessor/sub/y'];

/** conv (named "pointwise" even for 3 × 3 filters), + folded batch-norm offset, clipped to 0…6. */
function pointwise(net: TfWeightsNet, x: Feature, prefix: string, stride: number): Feature {
  return net.relu6(net.conv(x, `${prefix}/weights`, stride, 'same', `${prefix}/convolution_bn_offset`));
}

function depthwise(net: TfWeightsNet, x: Feature, index: number): Feature {
  const prefix = `MobilenetV1/Conv2d_${index}_depthwise`;
  const out = net.depthwise(x, `${prefix}/depthwise_weights`, STRIDE_2_LAYERS.has(index) ? 2 : 1, 'same');
  const norm = {
    scale: `${prefix}/BatchNorm/gamma`,
    offset: `${prefix}/BatchNorm/beta`,
    mean: `${prefix}/BatchNorm/moving_mean`,
    variance: `${prefix}/BatchNorm/moving_variance`,
  };
  return net.relu6(net.batchNorm(out, norm, BATCH_NORM_EPSILON));
}

/** One box predictor: [batch, anchors, 4] box encodings and [batch, anchors, 3] class logits. */
function boxPredictor(net: TfWeightsNet, x: Feature, index: number): { boxes: string; classes: string } {
  const prefix = `Prediction/BoxPredictor_${index}`;
  const boxes = net.conv(x, `${prefix}/BoxEncodingPredictor/weights`, 1, 'same', `${prefix}/BoxEncodingPredictor/biases`);
  const classes = net.conv(x, `${prefix}/ClassPredictor/weights`, 1, 'same', `${prefix}/ClassPredictor/biases`);
  return { boxes: net.nhwcReshape(boxes, [-1, 4], `${prefix}/boxes`), classes: net.nhwcReshape(classes, [-1, 3], `${prefix}/classes`) };
}

/** Anchor centres and sizes ([SSD_ANCHORS, 2] each, y then x) from `Output/extra_dim`, in float32 as TF.js. */
function anchorGeometry(net: TfWeightsNet): { centres: Float32Array; sizes: Float32Array } {
  const anchors = net.tensor('Output/extra_dim', [1, SSD_ANCHORS, 4]);
  const centres = new Float32Array(SSD_ANCHORS * 2),
    sizes = new Float32Array(SSD_ANCHORS * 2);
  for (let i = 0; i < SSD_ANCHORS; i++) {
    for (let axis = 0; axis < 2; axis++) {
      const size = Math.fround(anchors[4 * i + 2 + axis] - anchors[4 * i + axis]);
      sizes[2 * i + axis] = size;
      centres[2 * i + axis] = Math.fround(anchors[4 * i + axis] + Math.fround(size / 2));
    }
  }
  return { centres, sizes };
}

/** decodeBoxesLayer: centre = encoding / 10 · size + anchor centre, half size = exp(encoding / 5) · size / 2. */
function decodeBoxes(net: TfWeightsNet, encodings: string): string {
  const b = net.builder;
  const slice = (from: number, base: string) =>
    b.emit('Slice', [encodings, net.ints(`${base}/starts`, [from]), net.ints(`${base}/ends`, [from + 2]), net.ints(`${base}/axes`, [2])], base);
  const { centres, sizes } = anchorGeometry(net);
  const anchorCentres = b.addFloatInitializer('anchor_centres', [SSD_ANCHORS, 2], centres);
  const anchorSizes = b.addFloatInitializer('anchor_sizes', [SSD_ANCHORS, 2], sizes);
  const offsets = b.emit('Div', [slice(0, 'centre_encoding'), net.scalar(10)], 'centre_offset');
  const centre = b.emit('Add', [b.emit('Mul', [offsets, anchorSizes], 'centre_scaled'), anchorCentres], 'centre');
  const scaled = b.emit('Mul', [b.emit('Exp', [b.emit('Div', [slice(2, 'size_encoding'), net.scalar(5)], 'size_log')], 'size_factor'), anchorSizes], 'size');
  const half = b.emit('Div', [scaled, net.scalar(2)], 'half_size');
  return b.emit('Concat', [b.emit('Sub', [centre, half], 'box_min'), b.emit('Add', [centre, half], 'box_max')], 'decoded', { axis: 2 });
}

export function buildSsdGraph(weights: ReadonlyMap<string, ConstTensor>, version: string): Uint8Array {
  const net = new TfWeightsNet(weights, 'ssd_mobilenetv1_model');
  const input = net.imageInput(SSD_INPUT.name, SSD_INPUT.size);
  let x = net.binary('Sub', net.binary('Div', input, net.scalar(127.5), 'scaled'), net.scalar(1), 'normalised');
  x = pointwise(net, x, 'MobilenetV1/Conv2d_0_pointwise', 2);
  let conv11 = x;
  for (let index = 1; index <= 13; index++) {
    x = pointwise(net, depthwise(net, x, index), `MobilenetV1/Conv2d_${index}_pointwise`, 1);
    if (index === 11) conv11 = x;
  }
  // predictionLayer.ts: four more stride-2 scales after the backbone; predictors on six feature maps.
  const extra: Feature[] = [];
  let y = x;
  for (let index = 0; index < 8; index++) {
    y = pointwise(net, y, `Prediction/Conv2d_${index}_pointwise`, index % 2 === 1 ? 2 : 1);
    if (index % 2 === 1) extra.push(y);
  }
  const predictors = [conv11, x, ...extra].map((feature, index) => boxPredictor(net, feature, index));
  const b = net.builder;
  const encodings = b.emit(
    'Concat',
    predictors.map((p) => p.boxes),
    'box_encodings',
    { axis: 1 },
  );
  const classes = b.emit(
    'Concat',
    predictors.map((p) => p.classes),
    'class_logits',
    { axis: 1 },
  );
  const faceLogit = b.emit(
    'Slice',
    [classes, net.ints('face_class/starts', [1]), net.ints('face_class/ends', [2]), net.ints('face_class/axes', [2])],
    'face_logit',
  );
  const scores = b.emit('Sigmoid', [b.emit('Squeeze', [faceLogit, net.ints('face_class/squeeze', [2])], 'face_logit_2d')], 'face_score');
  net.output(SSD_OUTPUTS.boxes, decodeBoxes(net, encodings), ['batch', SSD_ANCHORS, 4]);
  net.output(SSD_OUTPUTS.scores, scores, ['batch', SSD_ANCHORS]);
  return net.encode('ssd_mobilenet_v1_faces', version, IGNORED_WEIGHTS);
}
