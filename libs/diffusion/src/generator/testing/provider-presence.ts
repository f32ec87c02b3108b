/**
 * Whether an execution provider can run on this machine, for gating provider tests: a suite runs where its
 * provider is present and is skipped, saying why, where it is not. Checks files only (no session, no device
 * opened), so a skipped suite opens nothing.
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

export type ProviderPresence = { present: true } | { present: false; reason: string };

/**
 * CUDA: an NVIDIA device node and onnxruntime-node's CUDA provider library, which the npm package does not
 * ship (the GPU image installs it; `.npmrc` skips it everywhere else).
 */
export function cudaPresence(): ProviderPresence {
  const devices = existsSync('/dev') ? readdirSync('/dev').filter((name) => /^nvidia\d+$/.test(name)) : [];
  if (devices.length === 0) return { present: false, reason: 'no NVIDIA device under /dev' };
  const library = 'libonnxruntime_providers_cuda.so';
  if (!onnxruntimeBindingDirs().some((dir) => existsSync(join(dir, library)))) {
    return { present: false, reason: `onnxruntime-node's CUDA provider (${library}) is not installed` };
  }
  return { present: true };
}

/** bin/napi-v<N>/<platform>/<arch> of the installed onnxruntime-node, where its native libraries live. */
function onnxruntimeBindingDirs(): string[] {
  const bin = join(dirname(require.resolve('onnxruntime-node')), '..', 'bin');
  if (!existsSync(bin)) return [];
  return readdirSync(bin)
    .filter((name) => name.startsWith('napi-v'))
    .map((name) => join(bin, name, process.platform, process.arch));
}
