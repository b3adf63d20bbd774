/**
 * What the functions doing the keeper's work share: the other modules' keepers, the module's own
 * address, and the module accounts (which may own no token: nothing could move it again).
 */
import type { BankKeeper, JobsKeeper, StateKeeper } from './expected_keepers.ts';

export const AINFT_MODULE = 'ainft';

export interface AinftEnv {
  readonly bank: BankKeeper;
  readonly jobs: JobsKeeper;
  readonly state: StateKeeper;
  /** The module's address: the signer of the owner configs it writes when a token moves. */
  readonly moduleAddress: string;
  /** Every module account of the app (filled once the app is built: read it while running). */
  readonly moduleAccounts: ReadonlySet<string>;
}
