/** Stateless checks of the compute module's one message, MsgUpdateParams (the gov authority's). */
import { ainError, requireGovAuthority } from '../../core/index.ts';
import type { MsgUpdateParams } from '../../proto/gen/ain/compute/v1/tx.ts';
import { ErrInvalidParams } from './errors.ts';
import { computeParamsFromProto } from './params.ts';

/**
 * The gov authority's message: every param in bounds, or `disable` with no params (turning compute
 * off). Both at once is refused rather than guessed.
 * @throws AinError gov/13 for another signer; compute/2 naming the field
 */
export function validateUpdateParams(msg: MsgUpdateParams): void {
  requireGovAuthority(msg.authority);
  if (msg.disable) {
    if (msg.params !== undefined)
      throw ainError(ErrInvalidParams, 'params must be absent when disable is true (turning compute off)', { field: 'params' });
    return;
  }
  computeParamsFromProto(msg.params);
}
