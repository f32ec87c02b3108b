/**
 * Reusable scratch memory for an operation's temporaries. A fresh multi-megabyte typed array is zeroed and
 * faulted in page by page on every call (about 1 ms per 3 MB on a small VM), a reused one is not. Image
 * operations run to completion one at a time on a thread, so a slot, named after the operation and the
 * temporary it holds, never has two live users. The contents are stale: a caller overwrites what it reads.
 */
const slots = new Map<string, Float32Array>();

export function scratchFloat32(slot: string, length: number): Float32Array {
  let buffer = slots.get(slot);
  if (!buffer || buffer.length < length) slots.set(slot, (buffer = new Float32Array(length)));
  return buffer.subarray(0, length);
}
