export * from './blob-store';
export * from './keys';
export { FsBlobStore } from './fs-blob-store';
export { S3BlobStore, type S3BlobStoreConfig } from './s3-blob-store';
export { blobStoreFromEnv } from './config';
