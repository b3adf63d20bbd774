/**
 * Recent results of a pure computation by key (keys seen lately, their parsed or derived form),
 * emptied when full so memory stays bounded. Only for pure functions: a hit must equal a recompute.
 * @example
 * const addresses = new RecentResults<string>(8192);
 * addresses.get(key) ?? addresses.remember(key, derive(key));
 */
export class RecentResults<V> {
  readonly #entries = new Map<string, V>();

  constructor(private readonly capacity: number) {}

  get(key: string): V | undefined {
    return this.#entries.get(key);
  }

  /** Stores `value` under `key` (emptying the map first when it is full) and returns it. */
  remember(key: string, value: V): V {
    if (this.#entries.size >= this.capacity) this.#entries.clear();
    this.#entries.set(key, value);
    return value;
  }
}

/** A byte string as a map key (latin1: one character per byte), for results keyed by bytes such as a public key. */
export function bytesKey(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');
}
