/**
 * BlobStore on S3 or any S3-compatible endpoint (MinIO, Ceph, R2, s3rver). `expiresAt` travels as object
 * metadata (`x-amz-meta-expires-at`) and is enforced on read; operators add a bucket lifecycle rule on the
 * `results/` prefix (expiration in days ≥ the configured result TTL) so expired objects are also removed.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  type GetObjectCommandOutput,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { FacexError } from '@facex/contracts';
import { BlobNotFoundError, DEFAULT_CONTENT_TYPE, isExpired, type BlobInfo, type BlobStore, type PutOptions } from './blob-store';
import { assertSafeKey } from './keys';

export interface S3BlobStoreConfig {
  bucket: string;
  region?: string;
  /** For S3-compatible services, e.g. `http://minio:9000`; path-style addressing is used then. */
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** SDK retry attempts for throttling and 5xx (default 3). */
  maxAttempts?: number;
  /** Per-request timeout in ms (default 30 s). */
  requestTimeoutMs?: number;
  /** Prefix under which every key lives (e.g. one per deployment). */
  keyPrefix?: string;
}

const EXPIRES_META = 'expires-at';

function isNotFound(error: unknown): boolean {
  return error instanceof S3ServiceException && (error.name === 'NotFound' || error.name === 'NoSuchKey' || error.$metadata.httpStatusCode === 404);
}

/**
 * The store is unreachable or failing (connection refused, timeout, 5xx after the SDK's own retries): a
 * retryable `unavailable` FacexError, so a stage retries with backoff and the gateway answers 503.
 */
function unavailableOf(error: unknown): unknown {
  if (error instanceof S3ServiceException && (error.$metadata.httpStatusCode ?? 500) < 500) return error;
  const reason = error instanceof Error ? ((error as NodeJS.ErrnoException).code ?? error.name) : String(error);
  return new FacexError('unavailable', `blob store unreachable (${reason})`, { cause: reason });
}

function expiresOf(metadata: Record<string, string> | undefined): Date | null {
  const value = metadata?.[EXPIRES_META];
  return value ? new Date(value) : null;
}

export class S3BlobStore implements BlobStore {
  readonly client: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;

  constructor(config: S3BlobStoreConfig) {
    this.bucket = config.bucket;
    this.prefix = config.keyPrefix ?? '';
    this.client = new S3Client({
      region: config.region ?? 'us-east-1',
      ...(config.endpoint ? { endpoint: config.endpoint, forcePathStyle: true } : {}),
      ...(config.credentials ? { credentials: config.credentials } : {}),
      maxAttempts: config.maxAttempts ?? 3,
      // A checksum only where the operation requires one: the SDK's default CRC32 on a streamed body is sent as
      // aws-chunked trailers, which several S3-compatible servers store as part of the object (s3rver does).
      requestChecksumCalculation: 'WHEN_REQUIRED',
      requestHandler: { requestTimeout: config.requestTimeoutMs ?? 30_000, connectionTimeout: 5_000 },
    });
  }

  /** Every request goes through here, so each operation reports an outage the same way. */
  private async call<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      throw unavailableOf(error);
    }
  }

  async put(key: string, bytes: Uint8Array, options: PutOptions = {}): Promise<void> {
    assertSafeKey(key);
    await this.call(() => this.client.send(this.putCommand(key, bytes, options)));
  }

  /** One PutObject streaming the file with its length (S3 needs the length of a streamed body up front). */
  async putFile(key: string, path: string, options: PutOptions = {}): Promise<void> {
    assertSafeKey(key);
    const { size } = await stat(path);
    await this.call(async () => {
      // Closed whatever the outcome: a failed request may leave the file open and half read.
      const body = createReadStream(path);
      try {
        return await this.client.send(this.putCommand(key, body, options, size));
      } finally {
        body.destroy();
      }
    });
  }

  private putCommand(key: string, body: Uint8Array | Readable, options: PutOptions, contentLength?: number): PutObjectCommand {
    return new PutObjectCommand({
      Bucket: this.bucket,
      Key: this.prefix + key,
      Body: body,
      ...(contentLength === undefined ? {} : { ContentLength: contentLength }),
      ContentType: options.contentType ?? DEFAULT_CONTENT_TYPE,
      ...(options.expiresAt ? { Metadata: { [EXPIRES_META]: options.expiresAt.toISOString() }, Expires: options.expiresAt } : {}),
    });
  }

  async get(key: string): Promise<Uint8Array> {
    const { body } = await this.stream(key);
    const chunks: Buffer[] = [];
    for await (const chunk of body) chunks.push(chunk as Buffer);
    const buffer = Buffer.concat(chunks);
    return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  }

  async stream(key: string): Promise<{ info: BlobInfo; body: Readable }> {
    assertSafeKey(key);
    let output: GetObjectCommandOutput;
    try {
      output = await this.call(() => this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.prefix + key })));
    } catch (error) {
      if (isNotFound(error)) throw new BlobNotFoundError(key);
      throw error;
    }
    const body = output.Body as Readable;
    const expiresAt = expiresOf(output.Metadata);
    if (isExpired(expiresAt)) {
      body.destroy();
      throw new BlobNotFoundError(key);
    }
    return { info: { key, size: output.ContentLength ?? 0, contentType: output.ContentType ?? DEFAULT_CONTENT_TYPE, expiresAt }, body };
  }

  async head(key: string): Promise<BlobInfo | null> {
    assertSafeKey(key);
    try {
      const output = await this.call(() => this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.prefix + key })));
      const expiresAt = expiresOf(output.Metadata);
      if (isExpired(expiresAt)) return null;
      return { key, size: output.ContentLength ?? 0, contentType: output.ContentType ?? DEFAULT_CONTENT_TYPE, expiresAt };
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    assertSafeKey(key);
    await this.call(() => this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.prefix + key })));
  }

  async deletePrefix(prefix: string): Promise<number> {
    let removed = 0;
    let token: string | undefined;
    do {
      const list = new ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.prefix + prefix, ContinuationToken: token });
      const page = await this.call(() => this.client.send(list));
      // One DeleteObject per key, in turn: the batch call needs Content-MD5 on several S3-compatible servers
      // (current SDKs send CRC32 instead), and some (s3rver) fail concurrent deletes in one folder. Prefixes
      // here hold a handful of objects (an edit's conditions, an asset's representations).
      for (const object of page.Contents ?? []) {
        if (!object.Key) continue;
        await this.call(() => this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: object.Key })));
        removed++;
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return removed;
  }

  presign(key: string, expiresInSeconds: number): Promise<string> {
    assertSafeKey(key);
    return getSignedUrl(this.client, new GetObjectCommand({ Bucket: this.bucket, Key: this.prefix + key }), { expiresIn: expiresInSeconds });
  }

  close(): void {
    this.client.destroy();
  }
}
