export {
  MICROSOFT_DOMAIN,
  ONNX_IR_VERSION,
  ONNX_OPSET,
  OnnxGraphBuilder,
  onnxDataType,
  type EncodeOptions,
  type OnnxAttribute,
  type OnnxDim,
  type OnnxElementType,
} from './graph-builder';
export { ExternalDataInitializerStore, InlineInitializerStore, type InitializerStore } from './initializer-store';
export { bfloat16BitsToFloat32, float16BitsToFloat32, float32ToFloat16Bits, toFloat16Array } from './float16';
