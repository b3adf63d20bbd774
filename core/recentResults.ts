/**
 * Recent values by key (keys seen lately, their parsed or derived form, or a store's recent reads),
 * bounded in two generations: new entries go into the recent one; when it holds half the capacity it
 * becomes the older one and the oldest generation is dropped, and a hit in the older one moves back.
 * So memory stays under `capacity` entries and every operation is O(1), while keys in steady use
 * survive the turnover. (Evicting one oldest entry at a time through a Map's iteration order is not
 * O(1): V8 keeps deleted entries as holes that `keys().next()` walks over, 9-13 µs an insert at
 * 20,000-50,000 entries.) A value cached for something that can change must be overwritten
 * (`remember`) or deleted when it does.
 * @example
 * const addresses = new RecentResults<string>(8192);
 * addresses.get(key) ?? addresses.remember(key, derive(key));
 */
export class RecentResults<V> {
  #recent = new Map<string, V>();
  #older = new Map<string, V>();
  readonly #generation: number;

  /** @param capacity the most entries kept (at least 2) */
  constructor(capacity: number) {
    this.#generation = Math.max(1, Math.floor(capacity / 2));
  }

  get(key: string): V | undefined {
    const recent = this.#recent.get(key);
    if (recent !== undefined) return recent;
    const older = this.#older.get(key);
    if (older !== undefined) this.remember(key, older);
    return older;
  }

  /** Stores `value` under `key` (replacing what was there) and returns it. */
  remember(key: string, value: V): V {
    if (this.#recent.size >= this.#generation && !this.#recent.has(key)) {
      this.#older = this.#recent;
      this.#recent = new Map();
    }
    this.#recent.set(key, value);
    return value;
  }

  delete(key: string): void {
    this.#recent.delete(key);
    this.#older.delete(key);
  }

  clear(): void {
    this.#recent.clear();
    this.#older.clear();
  }

  /** Entries held (a key in both generations counts twice), at most the capacity. */
  get size(): number {
    return this.#recent.size + this.#older.size;
  }
}

/** A byte string as a map key (latin1: one character per byte), for results keyed by bytes such as a public key. */
export function bytesKey(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');
}
