/**
 * The S3-compatible backend (AWS S3, SeaweedFS, MinIO, Ceph RGW, R2, GCS's S3 API) through
 * `@aws-sdk/client-s3`: object key `blobs/<hash[0:2]>/<hash>` in one bucket (created at start when
 * missing). Uploads stream the verified temp file with its length; downloads stream the object body.
 * Checksums beyond the SDK's required ones are off: the server has already hashed every upload, and
 * servers other than AWS do not all speak the newer trailing-checksum encoding.
 */
import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { AinError } from '../core/index.ts';
import type { BlobBackend, StoredObject } from './backend.ts';
import { ErrStorageBackend } from './errors.ts';

export interface S3BackendOptions {
  /** e.g. `http://127.0.0.1:8333`; absent: AWS's own endpoint for the region. */
  readonly endpoint?: string;
  readonly region?: string;
  readonly bucket: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

const PREFIX = 'blobs/';
const keyOf = (hash: string): string => `${PREFIX}${hash.slice(0, 2)}/${hash}`;

/**
 * Opens the bucket (creating it when missing) as a backend.
 * @example const backend = await openS3Backend({ endpoint: 'http://127.0.0.1:8333', bucket: 'ain', accessKeyId, secretAccessKey });
 */
export async function openS3Backend(options: S3BackendOptions): Promise<BlobBackend> {
  // The SDK warns on Node 20 (nine lines, once) that its releases after January 2027 need Node 22; the
  // version package-lock.json pins runs on the Node 20 this project targets. An operator's setting wins.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const client = new S3Client({
    region: options.region ?? 'us-east-1',
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    forcePathStyle: true,
    credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const Bucket = options.bucket;
  const failed = (what: string) => (cause: unknown) => {
    throw new AinError(ErrStorageBackend, `s3 ${what} in bucket ${Bucket} failed (${(cause as Error).message})`, {}, cause);
  };
  try {
    await client.send(new HeadBucketCommand({ Bucket }));
  } catch {
    await client.send(new CreateBucketCommand({ Bucket })).catch(failed('create bucket'));
  }
  const notFound = (error: unknown): boolean => {
    const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
    return e.name === 'NotFound' || e.name === 'NoSuchKey' || e.$metadata?.httpStatusCode === 404;
  };
  return {
    name: 's3',
    verifyReads: false,
    async put(hash, tempPath, size) {
      try {
        await client.send(new PutObjectCommand({ Bucket, Key: keyOf(hash), Body: createReadStream(tempPath), ContentLength: size }));
      } catch (cause) {
        failed(`put ${hash}`)(cause);
      } finally {
        await rm(tempPath, { force: true });
      }
      return '';
    },
    async get(hash) {
      const answer = await client.send(new GetObjectCommand({ Bucket, Key: keyOf(hash) })).catch(failed(`get ${hash}`));
      return answer.Body as AsyncIterable<Uint8Array>;
    },
    async has(hash) {
      try {
        await client.send(new HeadObjectCommand({ Bucket, Key: keyOf(hash) }));
        return true;
      } catch (error) {
        if (notFound(error)) return false;
        return failed(`head ${hash}`)(error);
      }
    },
    async delete(hash) {
      await client.send(new DeleteObjectCommand({ Bucket, Key: keyOf(hash) })).catch(failed(`delete ${hash}`));
    },
    async *list(): AsyncIterable<StoredObject> {
      let token: string | undefined;
      do {
        const page = await client
          .send(new ListObjectsV2Command({ Bucket, Prefix: PREFIX, ...(token ? { ContinuationToken: token } : {}) }))
          .catch(failed('list'));
        for (const object of page.Contents ?? []) {
          const hash = (object.Key ?? '').slice((object.Key ?? '').lastIndexOf('/') + 1);
          if (hash !== '') yield { hash, ref: '' };
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
    },
  };
}
