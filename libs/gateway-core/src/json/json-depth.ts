/**
 * Request bodies are checked for nesting before anything walks them: JSON.parse, zod and the canonical form
 * of idempotency fingerprints all recurse, and `[`×5000 would otherwise exhaust the stack (a 500).
 */
import { ProblemError } from '../problem/problem';

/** Deeper than any request the API accepts (an edit body nests 5 levels), far below any stack limit. */
export const MAX_JSON_DEPTH = 32;

function tooDeep(): ProblemError {
  return new ProblemError('json_too_deep', `the JSON body nests deeper than ${MAX_JSON_DEPTH} levels`, { field: '(body)' });
}

/** Scans JSON text once, without recursion; ProblemError('json_too_deep') past MAX_JSON_DEPTH. */
export function assertJsonDepth(text: string, maxDepth = MAX_JSON_DEPTH): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // a backslash escapes the next character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > maxDepth) throw tooDeep();
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
}

/** The nesting depth of a parsed value, walked iteratively; ProblemError('json_too_deep') past `maxDepth`. */
export function assertValueDepth(value: unknown, maxDepth = MAX_JSON_DEPTH): void {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop() as [unknown, number];
    if (current === null || typeof current !== 'object') continue;
    if (depth + 1 > maxDepth) throw tooDeep();
    for (const child of Object.values(current as Record<string, unknown>)) stack.push([child, depth + 1]);
  }
}
