/**
 * Signature checks on worker threads. The app's one thread answers CheckTx, and libsecp256k1's
 * verify is about half of each; CometBFT and the load leave part of the other core idle between
 * blocks. So the server hands each socket read's new CheckTx txs to one worker first (`beforeCheckTx`),
 * and their CheckTx then finds the signatures in the app's cache. A block whose txs this node never
 * checked (replay after a restart, block sync, a proposal with txs its mempool lacked) has its
 * signatures split across every worker before it is served (`beforeBlock`), while the app's thread
 * waits: FinalizeBlock would otherwise verify them one by one.
 */
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { SignatureJob } from '../ante.ts';
import type { Secp256k1Check } from '../tx/signature.ts';

/** The worker: the same libsecp256k1 binding as the main thread, loaded by its resolved path. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const secp256k1 = require(workerData.binding);
parentPort.on('message', ({ id, checks }) => {
  const valid = checks.map(({ signature, digest, key }) => {
    try { return secp256k1.ecdsaVerify(signature, digest, key); } catch { return false; }
  });
  parentPort.postMessage({ id, valid });
});
`;

/**
 * A block's txs are prepared on the app's thread and sent to the workers this many at a time, so the
 * workers verify the first slices while the app's thread prepares the next.
 */
const BLOCK_SLICE_TXS = 128;

/** One worker thread; if it dies, every batch after that (and any in flight) comes back all false. */
class VerifierThread {
  readonly #worker: Worker;
  readonly #pending = new Map<number, (valid: boolean[]) => void>();
  #nextId = 0;
  #dead = false;

  constructor(binding: string) {
    this.#worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { binding } });
    // A node stopping must not wait for its verifiers.
    this.#worker.unref();
    this.#worker.on('message', ({ id, valid }: { id: number; valid: boolean[] }) => {
      this.#pending.get(id)?.(valid);
      this.#pending.delete(id);
    });
    const die = () => {
      this.#dead = true;
      for (const [id, resolve] of this.#pending) {
        this.#pending.delete(id);
        resolve([]);
      }
    };
    this.#worker.on('error', die);
    this.#worker.on('exit', die);
  }

  verify(checks: readonly Secp256k1Check[]): Promise<boolean[]> {
    if (this.#dead || checks.length === 0) return Promise.resolve(checks.map(() => false));
    const id = this.#nextId++;
    return new Promise((resolve) => {
      this.#pending.set(id, (valid) => resolve(checks.map((_, i) => valid[i] === true)));
      this.#worker.postMessage({ id, checks });
    });
  }

  async close(): Promise<void> {
    this.#dead = true;
    await this.#worker.terminate();
  }
}

/**
 * Worker threads verifying prepared secp256k1 checks: CheckTx's batches go to the first, a block's are
 * split across all of them (the others start on the first such block, so a node that checked every tx
 * it executes runs one). A false result only means the app verifies that signature on its own thread.
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
   * Whether each check verifies, on the next thread in turn (starting it the first time); all false
   * once closed. A block's batches go here, so that its slices verify side by side.
   */
  verifyInTurn(checks: readonly Secp256k1Check[]): Promise<boolean[]> {
    if (this.#closed || this.#size === 1) return this.verify(checks);
    const next = this.#turn++ % this.#size;
    if (next === this.#threads.length) this.#threads.push(new VerifierThread(this.#binding));
    return this.#threads[next]!.verify(checks);
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
}

/**
 * The ABCI server's `beforeCheckTx` and `beforeBlock` for `app`, verifying on `workers`. A proposal's
 * unseen signatures start verifying without holding ProcessProposal (a validator's workers verify while
 * the votes go round); FinalizeBlock waits for them when its txs are that proposal's, and otherwise (a
 * replayed or synced block, another round's proposal) verifies its own unseen ones first.
 */
export function signatureHooks(
  app: SignatureSource,
  workers: SignatureWorkers,
): {
  beforeCheckTx: (txs: Uint8Array[]) => Promise<void> | undefined;
  beforeBlock: (txs: Uint8Array[], request: 'processProposal' | 'finalizeBlock') => Promise<void> | undefined;
} {
  const run = (jobs: SignatureJob[], verified: Promise<boolean[]>) =>
    verified.then((valid) => app.addVerifiedSignatures(jobs.map((job, i) => ({ key: job.key, valid: valid[i] === true }))));
  const verifyBlock = (txs: readonly Uint8Array[]): Promise<void> | undefined => {
    const batches: Promise<void>[] = [];
    for (let start = 0; start < txs.length; start += BLOCK_SLICE_TXS) {
      const jobs = app.unseenSignatures(txs.slice(start, start + BLOCK_SLICE_TXS));
      if (jobs.length > 0) batches.push(run(jobs, workers.verifyInTurn(jobs.map((job) => job.check))));
    }
    return batches.length === 0 ? undefined : Promise.all(batches).then(() => undefined);
  };
  let proposal: { readonly txs: readonly Uint8Array[]; readonly verified: Promise<void> | undefined } | undefined;
  return {
    beforeCheckTx: (txs) => {
      const jobs = app.pendingSignatures(txs);
      return jobs.length === 0 ? undefined : run(jobs, workers.verify(jobs.map((job) => job.check)));
    },
    beforeBlock: (txs, request) => {
      if (request === 'processProposal') {
        proposal = { txs, verified: verifyBlock(txs) };
        return undefined;
      }
      const proposed = proposal;
      proposal = undefined;
      return proposed !== undefined && sameTxs(proposed.txs, txs) ? proposed.verified : verifyBlock(txs);
    },
  };
}

function sameTxs(a: readonly Uint8Array[], b: readonly Uint8Array[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (Buffer.compare(a[i]!, b[i]!) !== 0) return false;
  return true;
}
