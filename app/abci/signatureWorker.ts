/**
 * Signature checks on worker threads. The app's one thread answers CheckTx, and libsecp256k1's
 * verify is about half of each; CometBFT and the load leave part of the other core idle between
 * blocks. So the server hands each socket read's new CheckTx txs to one worker first (`beforeCheckTx`),
 * and their CheckTx then finds the signatures in the app's cache.
 *
 * A block whose txs this node never checked (replay after a restart, block sync, a proposal with txs
 * its mempool lacked) would have FinalizeBlock verify them one by one. So before it is served
 * (`beforeBlock`) the app's thread prepares their checks from the last tx back, handing each slice to
 * the next worker (one per core, up to 4) with a shared status array. FinalizeBlock then runs at
 * once, from the first tx on: it takes what the workers found valid and verifies itself what they
 * have not reached, each slot claimed with Atomics by whichever thread comes first.
 */
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { SignatureJob } from '../ante.ts';
import type { Secp256k1Check } from '../tx/signature.ts';
import { type SignatureCache, SLOT_CLAIMED, SLOT_INVALID, SLOT_PENDING, SLOT_VALID } from '../signatureCache.ts';

/**
 * The bytes of one check in a batch: signature, digest, uncompressed key. A batch goes to a worker as
 * one buffer: posting the checks as objects cost 18-30 µs a message of 8 (structured clone copies
 * each view's whole buffer, and a signature is a view of the socket's read), one buffer 2.7 µs.
 */
const SIGNATURE_BYTES = 64;
const DIGEST_BYTES = 32;
const KEY_BYTES = 65;
const CHECK_BYTES = SIGNATURE_BYTES + DIGEST_BYTES + KEY_BYTES;

/**
 * `checks` in one buffer. A check of another shape (which libsecp256k1 would refuse) is left zero,
 * which it refuses too.
 */
export function packChecks(checks: readonly Secp256k1Check[]): Uint8Array<ArrayBuffer> {
  const packed = new Uint8Array(checks.length * CHECK_BYTES);
  for (let i = 0; i < checks.length; i++) {
    const { signature, digest, key } = checks[i]!;
    if (signature.length !== SIGNATURE_BYTES || digest.length !== DIGEST_BYTES || key.length !== KEY_BYTES) continue;
    const at = i * CHECK_BYTES;
    packed.set(signature, at);
    packed.set(digest, at + SIGNATURE_BYTES);
    packed.set(key, at + SIGNATURE_BYTES + DIGEST_BYTES);
  }
  return packed;
}

/**
 * The worker: the same libsecp256k1 binding as the main thread, loaded by its resolved path. A batch
 * with a status array is a block's: each check claimed first, from the last, and skipped when the
 * app's thread claimed it.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const secp256k1 = require(workerData.binding);
const verify = (packed, i) => {
  const at = i * ${CHECK_BYTES};
  try {
    return secp256k1.ecdsaVerify(
      packed.subarray(at, at + ${SIGNATURE_BYTES}),
      packed.subarray(at + ${SIGNATURE_BYTES}, at + ${SIGNATURE_BYTES + DIGEST_BYTES}),
      packed.subarray(at + ${SIGNATURE_BYTES + DIGEST_BYTES}, at + ${CHECK_BYTES}),
    );
  } catch { return false; }
};
parentPort.on('message', ({ id, packed, status }) => {
  const count = packed.length / ${CHECK_BYTES};
  if (status === undefined) {
    const valid = new Uint8Array(count);
    for (let i = 0; i < count; i++) valid[i] = verify(packed, i) ? 1 : 0;
    parentPort.postMessage({ id, valid }, [valid.buffer]);
    return;
  }
  let verified = 0;
  for (let i = count - 1; i >= 0; i--) {
    if (Atomics.compareExchange(status, i, ${SLOT_PENDING}, ${SLOT_CLAIMED}) !== ${SLOT_PENDING}) continue;
    Atomics.store(status, i, verify(packed, i) ? ${SLOT_VALID} : ${SLOT_INVALID});
    verified++;
  }
  parentPort.postMessage({ id, verified });
});
`;

/**
 * A block's txs are prepared on the app's thread and sent to the workers this many at a time, so the
 * workers verify the last slices while the app's thread prepares the first.
 */
const BLOCK_SLICE_TXS = 128;

/** One worker thread; if it dies, every batch after that (and any in flight) comes back all false. */
class VerifierThread {
  readonly #worker: Worker;
  readonly #pending = new Map<number, (reply: WorkerReply | undefined) => void>();
  #nextId = 0;
  #dead = false;

  constructor(binding: string) {
    this.#worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { binding } });
    // A node stopping must not wait for its verifiers.
    this.#worker.unref();
    this.#worker.on('message', (reply: WorkerReply & { id: number }) => {
      this.#pending.get(reply.id)?.(reply);
      this.#pending.delete(reply.id);
    });
    const die = () => {
      this.#dead = true;
      for (const [id, resolve] of this.#pending) {
        this.#pending.delete(id);
        resolve(undefined);
      }
    };
    this.#worker.on('error', die);
    this.#worker.on('exit', die);
  }

  /** Whether each check verifies; all false once the thread is gone. */
  async verify(checks: readonly Secp256k1Check[]): Promise<boolean[]> {
    const reply = checks.length === 0 ? undefined : await this.#send(checks, undefined);
    return checks.map((_, i) => reply?.valid?.[i] === 1);
  }

  /** Verifies into `status` (slot i for check i) what no other thread claims; how many it verified. */
  async verifyShared(checks: readonly Secp256k1Check[], status: Int32Array): Promise<number> {
    return (await this.#send(checks, status))?.verified ?? 0;
  }

  #send(checks: readonly Secp256k1Check[], status: Int32Array | undefined): Promise<WorkerReply | undefined> {
    if (this.#dead) return Promise.resolve(undefined);
    const id = this.#nextId++;
    const packed = packChecks(checks);
    return new Promise((resolve) => {
      this.#pending.set(id, resolve);
      this.#worker.postMessage({ id, packed, status }, [packed.buffer]);
    });
  }

  async close(): Promise<void> {
    this.#dead = true;
    await this.#worker.terminate();
  }
}

interface WorkerReply {
  /** 1 for each check that verifies. */
  readonly valid?: Uint8Array;
  readonly verified?: number;
}

/**
 * Worker threads verifying prepared secp256k1 checks: CheckTx's batches go to the first, a block's
 * slices to each in turn (the others start on the first such block, so a node that checked every tx
 * it executes runs one). A check found false, or not reached, the app verifies on its own thread.
 */
export class SignatureWorkers {
  readonly #binding = createRequire(import.meta.url).resolve('secp256k1');
  readonly #threads: VerifierThread[];
  readonly #size: number;
  #turn = 0;
  #closed = false;

  /** `size` threads at most: by default one per core, up to 4. */
  constructor(size: number = Math.min(availableParallelism(), 4)) {
    this.#size = Math.max(1, Math.floor(size));
    this.#threads = [new VerifierThread(this.#binding)];
  }

  /** Whether each check verifies, on the first thread; all false once closed. */
  verify(checks: readonly Secp256k1Check[]): Promise<boolean[]> {
    return this.#threads[0]!.verify(checks);
  }

  /**
   * Verifies into `status` (slot i for check i, with Atomics) what no other thread claims, on the next
   * thread in turn (starting it the first time), so a block's slices verify side by side; how many
   * it verified (none once closed).
   */
  verifyShared(checks: readonly Secp256k1Check[], status: Int32Array): Promise<number> {
    if (this.#closed) return Promise.resolve(0);
    const next = this.#turn++ % this.#size;
    if (next === this.#threads.length) this.#threads.push(new VerifierThread(this.#binding));
    return this.#threads[next]!.verifyShared(checks, status);
  }

  /** How many threads have started. */
  get threads(): number {
    return this.#threads.length;
  }

  /** Stops every thread; later batches come back all false. */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all(this.#threads.map((thread) => thread.close()));
  }
}

/** What the hooks below need of the app (`AinApplication`). */
export interface SignatureSource {
  /** The signatures the CheckTx of these new txs would verify. */
  pendingSignatures(txs: readonly Uint8Array[]): SignatureJob[];
  /** The signatures FinalizeBlock would verify for those of a block's txs no CheckTx decoded. */
  unseenSignatures(txs: readonly Uint8Array[]): SignatureJob[];
  addVerifiedSignatures(results: ReadonlyArray<{ readonly key: string; readonly valid: boolean }>): void;
  readonly signatureCache: Pick<SignatureCache, 'share' | 'forgetShared' | 'countVerified'>;
}

/**
 * The ABCI server's `beforeCheckTx` and `beforeBlock` for `app`, verifying on `workers`. A proposal's
 * unseen signatures start verifying at ProcessProposal (a validator's workers verify while the votes
 * go round), and FinalizeBlock of the same txs reads those statuses; any other block (replayed,
 * synced, another round's proposal) starts its own.
 */
export function signatureHooks(
  app: SignatureSource,
  workers: SignatureWorkers,
): {
  beforeCheckTx: (txs: Uint8Array[]) => Promise<void> | undefined;
  beforeBlock: (txs: Uint8Array[], request: 'processProposal' | 'finalizeBlock') => void;
} {
  let proposed: readonly Uint8Array[] | undefined;
  return {
    beforeCheckTx: (txs) => {
      const jobs = app.pendingSignatures(txs);
      if (jobs.length === 0) return undefined;
      return workers
        .verify(jobs.map((job) => job.check))
        .then((valid) => app.addVerifiedSignatures(jobs.map((job, i) => ({ key: job.key, valid: valid[i] === true }))));
    },
    beforeBlock: (txs, request) => {
      if (request === 'finalizeBlock' && proposed !== undefined && sameTxs(proposed, txs)) return;
      proposed = request === 'processProposal' ? txs : undefined;
      app.signatureCache.forgetShared();
      // From the last slice back: the workers take the end of the block while FinalizeBlock starts at
      // its beginning.
      for (let end = txs.length; end > 0; end -= BLOCK_SLICE_TXS) {
        const jobs = app.unseenSignatures(txs.slice(Math.max(0, end - BLOCK_SLICE_TXS), end));
        if (jobs.length === 0) continue;
        const status = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT * jobs.length));
        app.signatureCache.share(
          jobs.map((job) => job.key),
          status,
        );
        void workers
          .verifyShared(
            jobs.map((job) => job.check),
            status,
          )
          .then((verified) => app.signatureCache.countVerified(verified));
      }
    },
  };
}

function sameTxs(a: readonly Uint8Array[], b: readonly Uint8Array[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (Buffer.compare(a[i]!, b[i]!) !== 0) return false;
  return true;
}
