/** Big Storage: content-addressed blobs over HTTP (server, client, signing, errors). */
export { blobHash, DEFAULT_STORAGE_URL, getBlob, headBlob, putBlob } from './client.ts';
export type { BlobInfo, GetBlobOptions, PutBlobOptions } from './client.ts';
export * from './errors.ts';
export { DEFAULT_STORAGE_PORT, startStorageServer } from './server.ts';
export type { PutResult, StorageServer, StorageServerOptions } from './server.ts';
export { newNonce, putSignText, signPut, verifyPut } from './signing.ts';
export type { PutIntent, StorageKey } from './signing.ts';
export { DEFAULT_GET_MAX_BYTES } from './client.ts';
export { ErrStorageHashMismatch, ErrStorageNotFound, STORAGE } from './errors.ts';
