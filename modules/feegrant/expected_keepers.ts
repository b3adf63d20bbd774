/** The narrow parts of other modules the feegrant module uses. */
import type { ReadableState, WritableState } from '../../core/index.ts';

/** A grant creates the grantee's account when it has none, as the SDK does (so it can sign). */
export interface AccountKeeper {
  hasAccount(state: ReadableState, address: string): boolean;
  createAccount(state: WritableState, address: string): unknown;
}
