/**
 * The governance authority: the one address allowed to sign a module's `MsgUpdateParams` (and any
 * other message only governance may send). It is the gov module account's address, as in the Cosmos
 * SDK (`authtypes.NewModuleAddress("gov")`); a passed proposal's messages run with it as their signer.
 * Modules check it here rather than importing the gov module, which depends on them.
 */
import { moduleAddress } from './address.ts';
import { ainError, registerError } from './errors.ts';

/** The gov module's name, whose module account is the authority. */
export const GOV_MODULE_NAME = 'gov';

/** The SDK's `gov/13`, raised by every module when a message names another authority. */
export const ErrInvalidSigner = registerError(GOV_MODULE_NAME, 13, 'expected gov account as only signer for proposal message');

/** The address of the governance authority (`ain1...`, the gov module account). */
export function govAuthority(): string {
  return moduleAddress(GOV_MODULE_NAME);
}

/**
 * Refuses a message whose `authority` is not the governance authority.
 * @throws AinError gov/13 naming the field and both addresses
 * @example requireGovAuthority(msg.authority, 'authority')
 */
export function requireGovAuthority(authority: string, field = 'authority'): void {
  const expected = govAuthority();
  if (authority !== expected)
    throw ainError(ErrInvalidSigner, `invalid ${field}; expected ${expected}, got ${authority}`, { field, expected, got: authority });
}
