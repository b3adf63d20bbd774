/**
 * Signature checks on a worker thread. The app's one thread answers CheckTx, and libsecp256k1's
 * verify is about half of each; CometBFT and the load leave part of the other core idle between
 * blocks. So the server hands each socket read's new CheckTx txs here first (`beforeCheckTx`), and
 * their CheckTx then finds the signatures in the app's cache.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
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
 * One worker thread verifying batches of prepared secp256k1 checks. If the worker dies, every batch
 * after that (and any in flight) comes back all false, which only means CheckTx verifies on its own
 * thread as it did before.
 */
export class SignatureWorker {
  readonly #worker: Worker;
  readonly #pending = new Map<number, (valid: boolean[]) => void>();
  #nextId = 0;
  #dead = false;

  constructor() {
    const binding = createRequire(import.meta.url).resolve('secp256k1');
    this.#worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { binding } });
    // A node stopping must not wait for its verifier.
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

  /** Whether each check verifies; all false once the worker is gone. */
  verify(checks: readonly Secp256k1Check[]): Promise<boolean[]> {
    if (this.#dead || checks.length === 0) return Promise.resolve(checks.map(() => false));
    const id = this.#nextId++;
    return new Promise((resolve) => {
      this.#pending.set(id, (valid) => resolve(checks.map((_, i) => valid[i] === true)));
      this.#worker.postMessage({ id, checks });
    });
  }

  /** Stops the thread; later batches come back all false. */
  async close(): Promise<void> {
    await this.#worker.terminate();
  }
}
