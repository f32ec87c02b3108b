/**
 * Which onnxruntime execution provider runs the diffusion sessions, and the session options for it. The
 * provider is operator configuration: one that this onnxruntime-node build cannot offer fails start-up with
 * an error naming it, never a silent fall-back to the CPU.
 */
import type { InferenceSession } from 'onnxruntime-node';
import { FacexError } from '@facex/contracts';

export const EXECUTION_PROVIDERS = ['cpu', 'webgpu', 'cuda', 'tensorrt'] as const;
export type ExecutionProvider = (typeof EXECUTION_PROVIDERS)[number];

/** What `ort.listSupportedBackends()` reports: `bundled: false` needs the provider's libraries installed. */
export interface SupportedBackend {
  name: string;
  bundled: boolean;
}

export function parseExecutionProvider(value: string, field: string): ExecutionProvider {
  if (!(EXECUTION_PROVIDERS as readonly string[]).includes(value)) {
    throw new FacexError('unavailable', `${field}: execution provider must be one of ${EXECUTION_PROVIDERS.join(', ')}, got '${value}'`, { field });
  }
  return value as ExecutionProvider;
}

/** Throws FacexError('unavailable') naming the provider when this onnxruntime build does not list it. */
export function assertProviderListed(provider: ExecutionProvider, supported: readonly SupportedBackend[]): void {
  if (!supported.some((backend) => backend.name === provider)) {
    throw new FacexError(
      'unavailable',
      `executionProvider: '${provider}' is not available in this onnxruntime-node build (available: ${supported.map((b) => b.name).join(', ')})`,
      { field: 'executionProvider' },
    );
  }
}

/** Session options for every diffusion session: one provider, `threads` intra-op threads, sequential execution. */
export function diffusionSessionOptions(provider: ExecutionProvider, threads: number): InferenceSession.SessionOptions {
  return { executionProviders: [provider], graphOptimizationLevel: 'all', executionMode: 'sequential', intraOpNumThreads: threads, interOpNumThreads: 1 };
}

/** Wraps a session-creation failure (a listed but not installed provider, e.g. CUDA without its libraries). */
export function providerStartError(provider: ExecutionProvider, model: string, error: unknown): FacexError {
  const reason = error instanceof Error ? error.message : String(error);
  return new FacexError('unavailable', `executionProvider: '${provider}' could not run ${model}: ${reason}`, { field: 'executionProvider', model });
}
