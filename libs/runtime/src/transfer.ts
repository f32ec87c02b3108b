import { isArrayBuffer } from 'node:util/types';

/**
 * Collects the ArrayBuffers under a value that can be moved rather than copied: only buffers a typed array
 * owns whole, so that a view into a shared slab (Node's Buffer pool, a larger tensor) is never detached.
 */
export function transferablesOf(value: unknown, found = new Set<ArrayBuffer>()): ArrayBuffer[] {
  if (ArrayBuffer.isView(value)) {
    const { buffer } = value;
    if (isArrayBuffer(buffer) && value.byteOffset === 0 && value.byteLength === buffer.byteLength) found.add(buffer);
  } else if (Array.isArray(value)) {
    for (const item of value) transferablesOf(item, found);
  } else if (value !== null && typeof value === 'object') {
    for (const item of Object.values(value)) transferablesOf(item, found);
  }
  return [...found];
}
