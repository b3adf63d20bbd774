/** Big Storage: content-addressed blobs over HTTP (server, backends, client, signing, encryption, errors). */
export { blobHash, DEFAULT_GET_MAX_BYTES, DEFAULT_STORAGE_URL, getBlob, headBlob, putBlob, readHeaders, storageInfo } from './client.ts';
export type { BlobInfo, GetBlobOptions, PutBlobOptions } from './client.ts';
export { FolderBackend } from './backend.ts';
export type { BackendName, BlobBackend, StoredObject } from './backend.ts';
export { ipfsBackend } from './backendIpfs.ts';
export { openS3Backend } from './backendS3.ts';
export type { S3BackendOptions } from './backendS3.ts';
export { chainView } from './chainView.ts';
export type { ChainView, ReadVerdict, Reserved } from './chainView.ts';
export {
  CHUNK_BYTES,
  DATA_KEY_BYTES,
  decryptBytes,
  decryptStream,
  encryptBytes,
  encryptedSize,
  encryptStream,
  newDataKey,
  unwrapKey,
  WRAPPED_BYTES,
  wrapKey,
} from './crypto.ts';
export * from './errors.ts';
export { encryptFile, getBlobToFile, hashFile, putBlobFile } from './files.ts';
export type { GetBlobFileOptions } from './files.ts';
export { DEFAULT_QUOTA_BYTES_PER_ADDRESS, DEFAULT_STORAGE_PORT, startStorageServer } from './server.ts';
export type { PutResult, StorageInfo, StorageServer, StorageServerOptions } from './server.ts';
export type { StorageLimits } from './limits.ts';
export { getHeaders, getSignText, newNonce, putSignText, signGet, signPut, verifyGet, verifyPut } from './signing.ts';
export type { GetIntent, PutIntent, StorageKey } from './signing.ts';
