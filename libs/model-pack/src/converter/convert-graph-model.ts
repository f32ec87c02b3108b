/**
 * TF.js graph model -> ONNX (opset 17). The public interface stays NHWC, like the TF.js model: 4-D inputs are
 * transposed to NCHW once, 4-D outputs transposed back.
 */
import { FacexError } from '@facex/contracts';
import { ConversionContext } from './conversion-context';
import { convertConvolution, convertPad, convertPooling, convertResizeBilinear, convertTransposedConvolution } from './convolution-ops';
import { ELEMENTWISE_OPS, convertElementwise } from './elementwise-ops';
import { REDUCTION_OPS, convertConcat, convertIdentity, convertMatMul, convertReduction, convertReshape, convertSoftmax, convertSqueeze } from './shape-ops';
import { attrShape, dataInputs, parseGraphModelJson, unsupported, type TfjsNode } from './tfjs-graph-model';
import { decodeWeights } from './weights';

/** Bump when the converter's output for the same sources changes; it is part of the model-pack version. */
export const CONVERTER_VERSION = '1.0.0';

type OpConverter = (node: TfjsNode, ctx: ConversionContext) => void;

const OP_CONVERTERS: ReadonlyMap<string, OpConverter> = new Map<string, OpConverter>([
  ['Conv2D', convertConvolution],
  ['_FusedConv2D', convertConvolution],
  ['DepthwiseConv2dNative', convertConvolution],
  ['FusedDepthwiseConv2dNative', convertConvolution],
  ['Conv2DBackpropInput', convertTransposedConvolution],
  ['MaxPool', convertPooling],
  ['AvgPool', convertPooling],
  ['Pad', convertPad],
  ['PadV2', convertPad],
  ['ResizeBilinear', convertResizeBilinear],
  ['Reshape', convertReshape],
  ['Squeeze', convertSqueeze],
  ['ConcatV2', convertConcat],
  ['Softmax', convertSoftmax],
  ['MatMul', convertMatMul],
  ['_FusedMatMul', convertMatMul],
  ['Identity', convertIdentity],
  ['StopGradient', convertIdentity],
  ...ELEMENTWISE_OPS.map((op): [string, OpConverter] => [op, convertElementwise]),
  ...REDUCTION_OPS.map((op): [string, OpConverter] => [op, convertReduction]),
]);

function addPlaceholder(node: TfjsNode, ctx: ConversionContext): void {
  const dtype = node.attr?.['dtype']?.type;
  if (dtype !== 'DT_FLOAT') throw unsupported(node, `input dtype ${dtype ?? '(none)'} is not supported (float32 only)`);
  const shape = attrShape(node, 'shape');
  if (!shape) throw unsupported(node, 'input has no static rank');
  ctx.builder.addInput(
    node.name,
    shape.map((size, axis) => (size >= 0 ? size : axis === 0 ? 'batch' : `${node.name}_dim${axis}`)),
  );
  const value = { name: node.name, layout: 'native' as const, rank: shape.length };
  ctx.define(node.name, shape.length === 4 ? ctx.asNchw(node, value) : value);
}

/** Graph outputs: computed nodes nobody reads, in name order. */
function outputNodes(nodes: readonly TfjsNode[]): TfjsNode[] {
  const consumed = new Set(nodes.flatMap((node) => (node.input ?? []).map((ref) => ref.replace(/^\^/, '').split(':')[0])));
  return nodes
    .filter((node) => node.op !== 'Const' && node.op !== 'Placeholder' && !consumed.has(node.name))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Nodes in an order where every input comes first (model.json is usually, but not always, sorted). */
function topologicalOrder(nodes: readonly TfjsNode[]): TfjsNode[] {
  const byName = new Map(nodes.map((node) => [node.name, node]));
  const state = new Map<string, 'visiting' | 'done'>();
  const order: TfjsNode[] = [];
  const visit = (root: TfjsNode): void => {
    const stack: { node: TfjsNode; next: number }[] = [{ node: root, next: 0 }];
    state.set(root.name, 'visiting');
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as { node: TfjsNode; next: number };
      const inputs = dataInputs(top.node);
      if (top.next < inputs.length) {
        const child = byName.get(inputs[top.next++] as string);
        if (!child) continue;
        const seen = state.get(child.name);
        if (seen === 'visiting') throw unsupported(child, 'the graph has a cycle');
        if (seen === undefined) {
          state.set(child.name, 'visiting');
          stack.push({ node: child, next: 0 });
        }
      } else {
        state.set(top.node.name, 'done');
        order.push(top.node);
        stack.pop();
      }
    }
  };
  for (const node of nodes) if (!state.has(node.name)) visit(node);
  return order;
}

/**
 * Converts a TF.js graph model (parsed model.json and the concatenated weight files) to ONNX bytes.
 * Deterministic: the same inputs always give the same bytes.
 */
export function convertGraphModel(modelJson: unknown, weights: Uint8Array): Uint8Array {
  const model = parseGraphModelJson(modelJson);
  const ctx = new ConversionContext(decodeWeights(model, weights));
  const nodes = topologicalOrder(model.modelTopology.node);
  for (const node of nodes) {
    if (node.op === 'Const') {
      if (!ctx.isConst(node.name)) throw unsupported(node, 'constant has no entry in weightsManifest');
      continue;
    }
    if (node.op === 'Placeholder') {
      addPlaceholder(node, ctx);
      continue;
    }
    const convert = OP_CONVERTERS.get(node.op);
    if (!convert) throw unsupported(node, 'op is not supported by the converter');
    convert(node, ctx);
  }
  const outputs = outputNodes(nodes);
  if (outputs.length === 0) throw new FacexError('model_pack_invalid', 'the graph has no outputs', { field: 'modelTopology.node' });
  for (const node of outputs) {
    // Public outputs are NHWC and carry the TF node name (no ':0').
    const value = ctx.value(node, node.name);
    const nhwc = ctx.asNative(value);
    ctx.builder.addNode('Identity', [nhwc.name], node.name);
    ctx.builder.addOutput(node.name);
  }
  return ctx.builder.encode({ graphName: 'facex', producerName: 'facex-model-pack', producerVersion: CONVERTER_VERSION });
}
