import type { ReadableState, WritableState } from '../../core/index.ts';

/** What bank needs from auth: to know and create accounts. */
export interface AccountKeeper {
  hasAccount(state: ReadableState, address: string): boolean;
  createAccount(state: WritableState, address: string): unknown;
}
