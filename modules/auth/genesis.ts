import { ainError, ErrInvalidRequest } from '../../core/errors.ts';
import type { AppState } from '../../app/genesis.ts';
import type { WritableState } from '../../core/state.ts';
import { parseAddress } from '../../core/address.ts';
import type { AuthKeeper } from './keeper.ts';
import { authParamsFromJson, writeAuthParams } from './params.ts';

/** Largest number of genesis accounts accepted (a bound on what InitChain will do). */
export const MAX_GENESIS_ACCOUNTS = 1_000_000;

/**
 * Writes auth params and the genesis accounts. Account numbers follow the order of the list (the
 * SDK's NewAccount behaviour), so every node assigns the same ones.
 */
export function initAuthGenesis(state: WritableState, auth: AuthKeeper, genesis: AppState['auth']): void {
  writeAuthParams(state, authParamsFromJson(genesis.params));
  if (genesis.accounts.length > MAX_GENESIS_ACCOUNTS) {
    throw ainError(ErrInvalidRequest, `genesis has ${genesis.accounts.length} accounts; at most ${MAX_GENESIS_ACCOUNTS}`);
  }
  const seen = new Set<string>();
  genesis.accounts.forEach((entry, i) => {
    if (entry['@type'] !== '/cosmos.auth.v1beta1.BaseAccount') {
      throw ainError(
        ErrInvalidRequest,
        `genesis auth.accounts[${i}] has type ${entry['@type']}; expected /cosmos.auth.v1beta1.BaseAccount`,
      );
    }
    parseAddress(entry.address, `genesis auth.accounts[${i}].address`);
    if (seen.has(entry.address)) throw ainError(ErrInvalidRequest, `genesis auth.accounts[${i}] duplicates ${entry.address}`);
    seen.add(entry.address);
    const account = auth.createAccount(state, entry.address);
    if (entry.sequence !== '0') auth.setSequence(state, entry.address, BigInt(entry.sequence));
    if (entry.pub_key) auth.setPubkey(state, account.address, Buffer.from(entry.pub_key.key, 'base64'));
  });
}
