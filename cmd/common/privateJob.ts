/**
 * The client's side of a private job (`aind job run --encrypt`): the input and the test data are
 * encrypted here with fresh data keys and stored as private copies; once the request exists they are
 * bound to it on chain (readers: the nodes accepted on it; the test data's key to be revealed after
 * submission). While following the request, each newly accepted evaluator or worker gets the input's
 * key wrapped for its on-chain public key, and once submission closed the test data's key is
 * revealed. A node the chain never accepted gets no key and cannot read the ciphertext.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EncodeObject } from '@cosmjs/proto-signing';
import type { CometClient } from '@cosmjs/tendermint-rpc';
import { AccessKind, keyCommitment, queryPubkey, storageMsg } from '../../client/index.ts';
import { ainError, ErrInvalidRequest } from '../../core/index.ts';
import type { Request } from '../../proto/gen/ain/jobs/v1/types.ts';
import { encryptFile, newDataKey, putBlobFile, type StorageKey, wrapKey } from '../../storage/index.ts';

interface Sealed {
  readonly hash: string;
  readonly key: Uint8Array;
}

/** Encrypts `text` with a fresh key and stores the ciphertext as a private copy of `key`'s. */
export async function sealAndStore(storage: string, key: StorageKey, text: string): Promise<Sealed> {
  const dir = await mkdtemp(join(tmpdir(), 'ain-private-'));
  try {
    const plain = join(dir, 'plain');
    await writeFile(plain, text, { mode: 0o600 });
    const dataKey = newDataKey();
    await encryptFile(plain, join(dir, 'sealed'), dataKey);
    const { hash } = await putBlobFile(storage, join(dir, 'sealed'), key, { private: true });
    return { hash, key: dataKey };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export class PrivateJobData {
  private readonly shared = new Set<string>();
  private revealed = false;

  private constructor(
    readonly input: Sealed,
    readonly testData: Sealed | undefined,
  ) {}

  /** Encrypts and stores the input and the test data. */
  static async prepare(storage: string, key: StorageKey, input: string, testData: string | undefined): Promise<PrivateJobData> {
    for (const [what, text] of [
      ['input', input],
      ['test data', testData],
    ] as const) {
      if (text === undefined) continue;
      try {
        JSON.parse(text);
      } catch (cause) {
        throw ainError(ErrInvalidRequest, `the ${what} is not JSON (${(cause as Error).message})`);
      }
    }
    return new PrivateJobData(
      await sealAndStore(storage, key, input),
      testData === undefined ? undefined : await sealAndStore(storage, key, testData),
    );
  }

  /** Binds both blobs to the request: its accepted nodes may read them; the test key waits for submission to close. */
  afterRequest(signer: string, requestId: bigint): EncodeObject[] {
    const bind = (sealed: Sealed, testData: boolean) =>
      storageMsg.setAccess(signer, {
        hash: sealed.hash,
        kind: AccessKind.ACCESS_KIND_REQUEST,
        requestId,
        encrypted: true,
        keyCommitment: keyCommitment(sealed.key),
        testData,
      });
    return [bind(this.input, false), ...(this.testData ? [bind(this.testData, true)] : [])];
  }

  /** Keys for the readers the chain accepted since the last look; the test key once submission closed. */
  async act(
    comet: Pick<CometClient, 'abciQuery'>,
    request: Request,
    send: (messages: EncodeObject[]) => Promise<unknown>,
  ): Promise<string[]> {
    const readers = [request.evaluator, ...request.results.map((r) => r.worker)].filter((r) => r !== '' && !this.shared.has(r));
    const keys: Array<{ reader: string; wrapped: string; sharedAt: bigint }> = [];
    for (const reader of readers) {
      const pubkey = await queryPubkey(comet, reader);
      if (pubkey) keys.push({ reader, wrapped: wrapKey(this.input.key, pubkey), sharedAt: 0n });
    }
    const messages: EncodeObject[] = [];
    if (keys.length > 0) messages.push(storageMsg.shareKeys(request.client, { hash: this.input.hash, keys }));
    const closed = request.status !== 'open' && request.status !== 'running';
    if (this.testData && closed && !this.revealed) {
      this.revealed = true;
      messages.push(
        storageMsg.revealKey(request.client, { hash: this.testData.hash, key: Buffer.from(this.testData.key).toString('hex') }),
      );
    }
    if (messages.length > 0) await send(messages);
    for (const { reader } of keys) this.shared.add(reader);
    return keys.map((k) => k.reader);
  }
}
