/**
 * Jest node environment for specs that run onnxruntime-node. The native binding builds output tensors with
 * the host realm's typed arrays, and onnxruntime-common (loaded in the test realm) checks them with
 * `instanceof`; sharing the host's typed-array constructors with the test realm makes that check pass.
 * Use with a `@jest-environment` docblock pointing at this file.
 */
import NodeEnvironment from 'jest-environment-node';

const TYPED_ARRAYS = [
  Float32Array,
  Float64Array,
  Int8Array,
  Int16Array,
  Int32Array,
  Uint8Array,
  Uint8ClampedArray,
  Uint16Array,
  Uint32Array,
  BigInt64Array,
  BigUint64Array,
  ArrayBuffer,
] as const;

export default class OnnxRuntimeEnvironment extends NodeEnvironment {
  constructor(...args: ConstructorParameters<typeof NodeEnvironment>) {
    super(...args);
    const sandbox = this.global as unknown as Record<string, unknown>;
    for (const constructor of TYPED_ARRAYS) sandbox[constructor.name] = constructor;
  }
}
