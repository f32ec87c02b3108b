/**
 * Blob storage for assets, representations, conditions and results. Implementations: S3 (any S3-compatible
 * endpoint) and the filesystem (embedded mode). A blob may carry `expiresAt`: reads treat an expired blob as
 * absent (results expire after a configured time even where no lifecycle rule or sweeper has removed it yet).
 */
import type { Readable } from 'node:stream';

export interface PutOptions {
  contentType?: string;
  /** After this instant the blob reads as absent. */
  expiresAt?: Date;
}

export interface BlobInfo {
  key: string;
  size: number;
  contentType: string;
  expiresAt: Date | null;
}

export interface BlobStore {
  put(key: string, bytes: Uint8Array, options?: PutOptions): Promise<void>;
  /** Stores the file at `path` as the blob, streamed: large uploads (videos) never sit whole in memory. */
  putFile(key: string, path: string, options?: PutOptions): Promise<void>;
  /** The bytes; BlobNotFoundError when absent or expired. */
  get(key: string): Promise<Uint8Array>;
  /** A stream of the bytes with their info; BlobNotFoundError when absent or expired. */
  stream(key: string): Promise<{ info: BlobInfo; body: Readable }>;
  /** The info, or null when absent or expired. */
  head(key: string): Promise<BlobInfo | null>;
  /** Removes the blob; absent is fine. */
  delete(key: string): Promise<void>;
  /** Removes every blob whose key starts with `prefix`; returns how many. */
  deletePrefix(prefix: string): Promise<number>;
  /** A short-lived GET URL, where the store can make one (S3); the gateway streams otherwise. */
  presign?(key: string, expiresInSeconds: number): Promise<string>;
}

export class BlobNotFoundError extends Error {
  /** A missing blob does not appear on retry (assets are deleted, not delayed). */
  readonly retryable = false;

  constructor(readonly key: string) {
    super(`blob '${key}' does not exist or has expired`);
    this.name = 'BlobNotFoundError';
  }
}

export function isExpired(expiresAt: Date | null, now = Date.now()): boolean {
  return expiresAt !== null && expiresAt.getTime() <= now;
}

export const DEFAULT_CONTENT_TYPE = 'application/octet-stream';
