/**
 * Uploading a file to Big Storage signed by a keyring key: `aind storage put`, and the console's
 * `registerJob` uploading the worker and evaluator code.
 */
import { readFileSync } from 'node:fs';
import { ainError, ErrInvalidRequest } from '../../core/index.ts';
import { type PutResult, putBlob } from '../../storage/index.ts';
import { getKey, type Keyring, keySigner, TEST_KEYRING } from '../../home/index.ts';

/** `aind storage put FILE --from KEY`: uploads a file signed by a keyring key. */
export async function putFileCommand(
  home: string,
  file: string,
  from: string,
  url: string,
  ttlSeconds: number,
  keyring: Keyring = TEST_KEYRING,
): Promise<PutResult> {
  const key = await keySigner(getKey(home, from, keyring), keyring);
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (cause) {
    throw ainError(ErrInvalidRequest, `cannot read FILE ${file} (${(cause as Error).message})`);
  }
  return putBlob(url, bytes, key, { ttlSeconds });
}
