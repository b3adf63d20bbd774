/**
 * Reading a block's trie records and old leaf values on a worker thread while `prepare` uses them.
 *
 * At 10^6 leaves a block of 2,000 random writes reads about 5,200 trie records and 2,000 old leaf
 * values, most from lmdb pages no cache of this thread holds: about 11 ms of a 55 ms `prepare`, against
 * about 1 ms at 10^4, where the pages stay warm. The other core is mostly idle while FinalizeBlock
 * runs. So once a block's key hashes are sorted, a worker with its own read transaction walks the trie
 * as `updateTrie` will (the same records, in the same order) and writes each record into a shared
 * buffer, then the old values of the leaves the leaf cache lacks; the update takes them from there.
 *
 * It reads the latest committed state, so it is used only when no asynchronous commit is in flight
 * (the node's case: each block is durable long before the next). Anything else falls back to the
 * thread's own reads, with the same result: a record whose position is not the next one in the
 * stream, a stream that ran out of room, a worker that failed, died or is still starting, or one
 * silent for a second (then it is not used again).
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Database } from 'lmdb';
import { type RecordAllocator, type TrieNodeReader, bytesEqual } from '../index.ts';
import { TOP_DEPTH, nodeKey } from './keys.ts';

/** Control words (Int32) shared with the worker. */
const RECORDS_END = 0; // bytes of the record stream published
const RECORDS_STATE = 1; // RUNNING, DONE or STOPPED
const LEAVES_STATE = 2;
const REQUEST = 3; // a request's number (the worker waits on it); CLOSE: end
const HASH_COUNT = 4;
const LEAF_COUNT = 5;
const CLOSE = -1;
const RUNNING = 0;
const DONE = 1;
const STOPPED = 2;
const ABSENT = 0xffffffff;
/** A key hash: sha256. */
const HASH_BYTES = 32;
/** How long the thread waits for the worker's next bytes before reading for itself. */
const WAIT_MS = 1_000;

const RECORDS_BYTES = 16 << 20;
const LEAVES_BYTES = 4 << 20;
const REQUEST_BYTES = 4 << 20;

/**
 * The worker: opens the same environment (lmdb-js shares it between threads), and per request renews
 * its read transaction, walks the trie and reads the leaves, then releases the snapshot. Stream
 * entries: position length (u8), position (latin1), record length (u32 LE, ABSENT for none), record.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { open } = require(workerData.lmdb);
const { control, records, leafValues, request } = workerData;
const env = open({ path: workerData.dir, noSubdir: false, maxDbs: 8, keyEncoding: 'binary', encoding: 'binary', noMemInit: true });
const nodes = env.openDB('nodes', { keyEncoding: 'binary', encoding: 'binary' });
const leaves = env.openDB('leaves', { keyEncoding: 'binary', encoding: 'binary' });
const out = Buffer.from(records.buffer, records.byteOffset, records.length);
const leafOut = Buffer.from(leafValues.buffer, leafValues.byteOffset, leafValues.length);
const HEX = '0123456789abcdef';
let hashes;
let end = 0;
// The same keys as keys.ts's nodeKey, and below the branch layout of merkleTrie.ts: this source runs
// in a worker without the project's modules.
const keyOf = (position) => Buffer.from((position.length <= ${TOP_DEPTH} ? 't' : 'n') + position, 'latin1');
const nibbleAt = (i, depth) => { const b = hashes[i * ${HASH_BYTES} + (depth >> 1)]; return depth & 1 ? b & 15 : b >> 4; };
const popcount = (x) => { let n = 0; while (x) { x &= x - 1; n++; } return n; };
// Appends an entry; returns the record's offset, or -1 when the stream is full.
function emit(position, fast) {
  const length = fast === undefined ? 0 : fast.length;
  if (end + 5 + position.length + length > out.length) return -1;
  out[end] = position.length;
  out.write(position, end + 1, 'latin1');
  const at = end + 5 + position.length;
  out.writeUInt32LE(fast === undefined ? ${ABSENT} : length, end + 1 + position.length);
  if (fast !== undefined) out.set(new Uint8Array(fast.buffer, fast.byteOffset, length), at);
  end = at + length;
  Atomics.store(control, ${RECORDS_END}, end);
  Atomics.notify(control, ${RECORDS_END});
  return at;
}
// The records updateTrie reads below the branch at 'at': each child branch a group of updates reaches.
function visit(position, depth, at, lo, hi) {
  if (out[at] !== 1) return true;
  const bitmap = (out[at + 1] << 8) | out[at + 2];
  const leafmapAt = at + 3 + ${HASH_BYTES} * popcount(bitmap);
  const leafmap = (out[leafmapAt] << 8) | out[leafmapAt + 1];
  let i = lo;
  while (i < hi) {
    const nibble = nibbleAt(i, depth);
    let j = i + 1;
    while (j < hi && nibbleAt(j, depth) === nibble) j++;
    const bit = 1 << nibble;
    if ((bitmap & bit) !== 0 && (leafmap & bit) === 0) {
      const child = position + HEX[nibble];
      const fast = nodes.getBinaryFast(keyOf(child));
      const childAt = emit(child, fast);
      if (childAt < 0) return false;
      if (fast !== undefined && !visit(child, depth + 1, childAt, i, j)) return false;
    }
    i = j;
  }
  return true;
}
function walk(count) {
  end = 0;
  const root = nodes.getBinaryFast(keyOf(''));
  const at = emit('', root);
  if (at < 0) return false;
  return root === undefined || visit('', 0, at, 0, count);
}
function readLeaves(from, count) {
  let o = from;
  let w = 0;
  for (let k = 0; k < count; k++) {
    const length = request[o] | (request[o + 1] << 8);
    const fast = leaves.getBinaryFast(Buffer.from(request.subarray(o + 2, o + 2 + length)));
    o += 2 + length;
    const size = fast === undefined ? 0 : fast.length;
    if (w + 4 + size > leafOut.length) return false;
    leafOut.writeUInt32LE(fast === undefined ? ${ABSENT} : size, w);
    if (fast !== undefined) leafOut.set(new Uint8Array(fast.buffer, fast.byteOffset, size), w + 4);
    w += 4 + size;
  }
  return true;
}
function serve(hashCount, leafCount) {
  let recordsState = ${STOPPED};
  let leavesState = ${STOPPED};
  try {
    nodes.resetReadTxn();
    hashes = request.subarray(0, hashCount * ${HASH_BYTES});
    recordsState = walk(hashCount) ? ${DONE} : ${STOPPED};
    Atomics.store(control, ${RECORDS_STATE}, recordsState);
    Atomics.notify(control, ${RECORDS_END});
    leavesState = readLeaves(hashCount * ${HASH_BYTES}, leafCount) ? ${DONE} : ${STOPPED};
  } catch {
    // The thread reads for itself, and meets the same error if there is one.
  } finally {
    nodes.resetReadTxn();
    Atomics.store(control, ${RECORDS_STATE}, recordsState);
    Atomics.store(control, ${LEAVES_STATE}, leavesState);
    Atomics.notify(control, ${RECORDS_END});
    Atomics.notify(control, ${LEAVES_STATE});
  }
}
parentPort.postMessage({ ready: true });
// Requests come through a shared word, not messages: waking from Atomics.wait takes microseconds,
// a message about half a millisecond.
let served = 0;
for (;;) {
  Atomics.wait(control, ${REQUEST}, served);
  const next = Atomics.load(control, ${REQUEST});
  if (next === ${CLOSE}) break;
  if (next === served) continue;
  served = next;
  serve(control[${HASH_COUNT}], control[${LEAF_COUNT}]);
}
env.close().then(() => parentPort.postMessage({ closed: true }));
`;

/**
 * A reader of trie records: a pending block's first, then the run's stream, then lmdb, each record
 * copied into `alloc`'s memory (lmdb-js reuses one buffer for every read).
 */
export function trieRecordReader(
  nodes: Database<Uint8Array, Uint8Array>,
  pending: ReadonlyMap<string, Uint8Array | null> | undefined,
  alloc: RecordAllocator,
  run?: ReadAheadRun,
): TrieNodeReader {
  return {
    getNode(position: string): Uint8Array | undefined {
      if (pending !== undefined) {
        const record = pending.get(position);
        if (record !== undefined) return record === null ? undefined : record;
      }
      const ahead = run?.record(position, alloc);
      if (ahead !== undefined) return ahead ?? undefined;
      const fast = nodes.getBinaryFast(nodeKey(position));
      if (fast === undefined) return undefined;
      // lmdb-js reuses one large buffer and sets its `length` own property to the value's size.
      const length = fast.length;
      const out = alloc(length);
      out.set(new Uint8Array(fast.buffer, fast.byteOffset, length));
      return out;
    },
  };
}

/** Blocks handed to the worker, and the trie records and leaf values its reads served. */
export interface ReadAheadStats {
  blocks: number;
  records: number;
  leaves: number;
}

/** One block's stream: records in the order `updateTrie` asks for them, then old leaf values. */
export class ReadAheadRun {
  readonly #control: Int32Array;
  readonly #records: Buffer;
  readonly #leafValues: Buffer;
  readonly #leafKeys: readonly Uint8Array[];
  readonly #stats: ReadAheadStats;
  readonly #stalled: () => void;
  #recordAt = 0;
  #leafIndex = 0;
  #leafAt = 0;
  #recordsOff = false;
  #leavesOff = false;

  /** @internal made by {@link ReadAhead.start} */
  constructor(
    control: Int32Array,
    records: Uint8Array,
    leafValues: Uint8Array,
    leafKeys: readonly Uint8Array[],
    stats: ReadAheadStats,
    stalled: () => void = () => {},
  ) {
    this.#stats = stats;
    this.#stalled = stalled;
    this.#control = control;
    // Views, as the worker writes them: lengths are read with Buffer's readUInt32LE.
    this.#records = Buffer.from(records.buffer, records.byteOffset, records.length);
    this.#leafValues = Buffer.from(leafValues.buffer, leafValues.byteOffset, leafValues.length);
    this.#leafKeys = leafKeys;
  }

  /**
   * The record at `position` if it is the stream's next (copied into `alloc`; null: no record there),
   * or undefined: read it yourself (and from then on, every record).
   */
  record(position: string, alloc: RecordAllocator): Uint8Array | null | undefined {
    if (this.#recordsOff) return undefined;
    const records = this.#records;
    const at = this.#recordAt;
    if (!this.#await(at + 5) || !this.#await(at + 5 + records[at]!)) {
      return this.#stopRecords();
    }
    const length = records[at]!;
    if (length !== position.length) return this.#stopRecords();
    for (let i = 0; i < length; i++) if (records[at + 1 + i] !== position.charCodeAt(i)) return this.#stopRecords();
    const size = records.readUInt32LE(at + 1 + length);
    const start = at + 5 + length;
    if (size === ABSENT) {
      this.#recordAt = start;
      return null;
    }
    if (!this.#await(start + size)) return this.#stopRecords();
    this.#recordAt = start + size;
    this.#stats.records++;
    const out = alloc(size);
    out.set(records.subarray(start, start + size));
    return out;
  }

  /**
   * The committed bytes of the leaf at `key` if it is the next one asked for (a copy; null: none),
   * or undefined: read it yourself.
   */
  leaf(key: Uint8Array): Uint8Array | null | undefined {
    if (this.#leavesOff) return undefined;
    const expected = this.#leafKeys[this.#leafIndex];
    if (expected === undefined || !bytesEqual(expected, key)) return this.#stopLeaves();
    if (!this.#leavesRead()) return this.#stopLeaves();
    const values = this.#leafValues;
    const size = values.readUInt32LE(this.#leafAt);
    this.#leafIndex++;
    this.#stats.leaves++;
    if (size === ABSENT) {
      this.#leafAt += 4;
      return null;
    }
    const out = new Uint8Array(values.subarray(this.#leafAt + 4, this.#leafAt + 4 + size)); // a copy
    this.#leafAt += 4 + size;
    return out;
  }

  /** Waits until the worker published `needed` bytes of records (true), or stopped short of them (false). */
  #await(needed: number): boolean {
    const control = this.#control;
    for (;;) {
      const end = Atomics.load(control, RECORDS_END);
      if (end >= needed) return true;
      if (Atomics.load(control, RECORDS_STATE) !== RUNNING) return Atomics.load(control, RECORDS_END) >= needed;
      if (Atomics.wait(control, RECORDS_END, end, WAIT_MS) === 'timed-out') {
        this.#stalled();
        return false;
      }
    }
  }

  /** Waits until the worker read the leaves (true), or stopped or failed (false). */
  #leavesRead(): boolean {
    const control = this.#control;
    if (Atomics.load(control, LEAVES_STATE) === RUNNING && Atomics.wait(control, LEAVES_STATE, RUNNING, WAIT_MS) === 'timed-out') {
      this.#stalled();
      return false;
    }
    return Atomics.load(control, LEAVES_STATE) === DONE;
  }

  #stopRecords(): undefined {
    this.#recordsOff = true;
    return undefined;
  }

  #stopLeaves(): undefined {
    this.#leavesOff = true;
    return undefined;
  }
}

/**
 * The worker of one store. Started on the first block big enough to use it; until it is ready, and
 * after it fails, `start` returns undefined.
 */
export class ReadAhead {
  readonly #worker: Worker;
  readonly #control = sharedControl();
  readonly #records = new Uint8Array(new SharedArrayBuffer(RECORDS_BYTES));
  readonly #leafValues = new Uint8Array(new SharedArrayBuffer(LEAVES_BYTES));
  readonly #request = new Uint8Array(new SharedArrayBuffer(REQUEST_BYTES));
  #ready = false;
  #failed = false;
  readonly #exited: Promise<void>;
  readonly #closed: Promise<void>;
  /** What the worker's reads served; read by tests and benchmarks. */
  readonly stats: ReadAheadStats = { blocks: 0, records: 0, leaves: 0 };

  constructor(dir: string) {
    const lmdb = createRequire(import.meta.url).resolve('lmdb');
    const workerData = { dir, lmdb, control: this.#control, records: this.#records, leafValues: this.#leafValues, request: this.#request };
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData });
    this.#worker = worker;
    // A node stopping must not wait for it.
    worker.unref();
    this.#exited = new Promise((resolve) => worker.once('exit', () => resolve()));
    this.#closed = new Promise((resolve) => {
      worker.on('message', (message: { ready?: boolean; closed?: boolean }) => {
        if (message.ready) this.#ready = true;
        if (message.closed) resolve();
      });
    });
    worker.on('error', () => void (this.#failed = true));
    void this.#exited.then(() => void (this.#failed = true));
  }

  /**
   * Starts reading the records `updateTrie` will read for `sortedKeyHashes` (ascending, 32 bytes each)
   * and the leaves at `leafKeys` (in the order they will be asked for); undefined when the worker
   * cannot take it (starting, failed, or the request does not fit).
   */
  start(sortedKeyHashes: readonly Uint8Array[], leafKeys: readonly Uint8Array[]): ReadAheadRun | undefined {
    if (!this.#ready || this.#failed) return undefined;
    const control = this.#control;
    // The buffers are reused: a run this thread stopped using early may still be going.
    if (Atomics.load(control, LEAVES_STATE) === RUNNING) {
      Atomics.wait(control, LEAVES_STATE, RUNNING, WAIT_MS);
      if (Atomics.load(control, LEAVES_STATE) === RUNNING) {
        this.#failed = true;
        return undefined;
      }
    }
    const request = this.#request;
    let o = 0;
    for (const hash of sortedKeyHashes) {
      if (hash.length !== HASH_BYTES || o + HASH_BYTES > request.length) return undefined;
      request.set(hash, o);
      o += HASH_BYTES;
    }
    for (const key of leafKeys) {
      if (o + 2 + key.length > request.length || key.length > 0xffff) return undefined;
      request[o] = key.length & 0xff;
      request[o + 1] = key.length >>> 8;
      request.set(key, o + 2);
      o += 2 + key.length;
    }
    Atomics.store(control, RECORDS_END, 0);
    Atomics.store(control, RECORDS_STATE, RUNNING);
    Atomics.store(control, LEAVES_STATE, RUNNING);
    control[HASH_COUNT] = sortedKeyHashes.length;
    control[LEAF_COUNT] = leafKeys.length;
    Atomics.store(control, REQUEST, (control[REQUEST]! + 1) & 0x3fffffff);
    Atomics.notify(control, REQUEST);
    this.stats.blocks++;
    // A worker silent for WAIT_MS is not used again: a stalled one would cost every block that wait.
    return new ReadAheadRun(control, this.#records, this.#leafValues, leafKeys, this.stats, () => (this.#failed = true));
  }

  /**
   * Lets the worker close its handle on the environment (lmdb-js counts the threads that hold one),
   * then ends it; gives up waiting after a few seconds.
   */
  async close(): Promise<void> {
    Atomics.store(this.#control, REQUEST, CLOSE);
    Atomics.notify(this.#control, REQUEST);
    this.#failed = true;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, 5_000)));
    await Promise.race([this.#closed, this.#exited, late]);
    clearTimeout(timer);
    await this.#worker.terminate();
  }
}

/** The control words, shared; no run in progress. */
function sharedControl(): Int32Array {
  const control = new Int32Array(new SharedArrayBuffer(6 * Int32Array.BYTES_PER_ELEMENT));
  control[RECORDS_STATE] = STOPPED;
  control[LEAVES_STATE] = STOPPED;
  return control;
}
