/** Build options shared by every diffusion graph. */
export interface GraphOptions {
  /** float16: initializers are stored as half and the graph computes in half (inputs and outputs stay float32). */
  precision: 'float32' | 'float16';
  /** matmul: plain MatMul/Softmax (any execution provider); contrib: com.microsoft.MultiHeadAttention (WebGPU, CUDA). */
  attention: 'matmul' | 'contrib';
}

export const DEFAULT_GRAPH_OPTIONS: GraphOptions = { precision: 'float32', attention: 'matmul' };
