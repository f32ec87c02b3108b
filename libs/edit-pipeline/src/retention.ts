/**
 * How long derived data lives, per deployment. Results and the conditions they were rendered from expire
 * together (RESULT_TTL_SECONDS, default one day). Cached representations (identity vectors, landmarks, masks)
 * and the aligned face crops stored with them expire after REPRESENTATION_TTL_SECONDS (default: the result
 * TTL); a later edit of the same asset analyses it again. Everything derived from an asset also goes at once
 * when the asset is deleted.
 */
import { positiveIntFromEnv } from '@facex/queue';

export interface Retention {
  resultTtlSeconds: number;
  representationTtlSeconds: number;
}

export const DEFAULT_RESULT_TTL_SECONDS = 86_400;

export function retentionFromEnv(env: NodeJS.ProcessEnv = process.env): Retention {
  const resultTtlSeconds = positiveIntFromEnv(env, 'RESULT_TTL_SECONDS') ?? DEFAULT_RESULT_TTL_SECONDS;
  return { resultTtlSeconds, representationTtlSeconds: positiveIntFromEnv(env, 'REPRESENTATION_TTL_SECONDS') ?? resultTtlSeconds };
}
