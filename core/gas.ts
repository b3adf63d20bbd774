import { ainError, ErrOutOfGas } from './errors.ts';

/**
 * A deterministic gas meter: every charge is an integer from a fixed table, so every node computes the
 * same `gas_used`. `limit` 0 is the unlimited meter used by genesis, simulation and block hooks.
 */
export class GasMeter {
  private used = 0;

  constructor(readonly limit: number) {}

  get consumed(): number {
    return this.used;
  }

  /** Charges `amount` for `descriptor`; throws `sdk/11 out of gas` past the limit. */
  consume(amount: number, descriptor: string): void {
    this.used += amount;
    if (this.limit > 0 && this.used > this.limit) {
      throw ainError(ErrOutOfGas, `out of gas in location: ${descriptor}; gasWanted: ${this.limit}, gasUsed: ${this.used}`, {
        limit: this.limit,
        used: this.used,
      });
    }
  }
}

/** Gas prices of state access, the Cosmos SDK's KVGasConfig figures. */
export const STATE_GAS = {
  readFlat: 1000,
  readPerByte: 3,
  writeFlat: 2000,
  writePerByte: 30,
  deleteFlat: 1000,
  listFlat: 1000,
  listPerItem: 30,
} as const;
