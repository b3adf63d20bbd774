/** Stateless checks of the compute module's one message, MsgUpdateParams (the gov authority's). */
import { requireGovAuthority } from '../../core/index.ts';
import type { MsgUpdateParams } from '../../proto/gen/ain/compute/v1/tx.ts';
import { computeParamsFromProto } from './params.ts';

export function validateUpdateParams(msg: MsgUpdateParams): void {
  requireGovAuthority(msg.authority);
  computeParamsFromProto(msg.params);
}
