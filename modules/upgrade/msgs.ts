/**
 * Stateless checks of the upgrade module's messages, `cosmos.upgrade.v1beta1.MsgSoftwareUpgrade` and
 * `MsgCancelUpgrade`: both only the gov authority signs (a passed proposal carries them).
 */
import type { MsgCancelUpgrade, MsgSoftwareUpgrade } from 'cosmjs-types/cosmos/upgrade/v1beta1/tx';
import type { Plan } from 'cosmjs-types/cosmos/upgrade/v1beta1/upgrade';
import { ainError, ErrInvalidRequest, requireGovAuthority } from '../../core/index.ts';
import { MAX_PLAN_INFO, MAX_PLAN_NAME } from './keys.ts';

/** A plan as the module stores it. */
export interface UpgradePlan {
  readonly name: string;
  readonly height: bigint;
  readonly info: string;
}

/**
 * Checks a plan's fields: a name (1..140 characters, no `/`), a positive height, `info` within 10,000
 * characters, and neither of the SDK's deprecated fields (`time`, `upgraded_client_state`).
 * @throws AinError sdk/18 naming the field
 */
/**
 * What an unset `Plan.time` is on the wire: the Go SDK encodes its non-nullable zero `time.Time` as
 * 0001-01-01T00:00:00Z, and JavaScript clients send nothing or the Unix epoch. Both mean unset.
 */
export const UNSET_PLAN_TIME = { seconds: -62_135_596_800n, nanos: 0 } as const;

function isUnsetTime(time: { seconds: bigint; nanos: number }): boolean {
  return time.nanos === 0 && (time.seconds === 0n || time.seconds === UNSET_PLAN_TIME.seconds);
}

export function planFromProto(plan: (Pick<Plan, 'name' | 'height' | 'info'> & Partial<Plan>) | undefined): UpgradePlan {
  if (plan === undefined) throw ainError(ErrInvalidRequest, 'plan is required', { field: 'plan' });
  const { name, height, info } = plan;
  if (name.length === 0 || name.length > MAX_PLAN_NAME || name.includes('/') || name.trim() !== name)
    throw ainError(ErrInvalidRequest, `plan.name must be 1 to ${MAX_PLAN_NAME} characters, no '/' and no surrounding spaces`, {
      field: 'plan.name',
    });
  if (height <= 0n) throw ainError(ErrInvalidRequest, `plan.height must be positive, got ${height}`, { field: 'plan.height' });
  if (info.length > MAX_PLAN_INFO)
    throw ainError(ErrInvalidRequest, `plan.info is longer than ${MAX_PLAN_INFO} characters`, { field: 'plan.info' });
  if (plan.time !== undefined && !isUnsetTime(plan.time))
    throw ainError(ErrInvalidRequest, 'plan.time is deprecated and must be unset; upgrades are scheduled by height', {
      field: 'plan.time',
    });
  if (plan.upgradedClientState !== undefined)
    throw ainError(ErrInvalidRequest, 'plan.upgraded_client_state is deprecated and must be unset', {
      field: 'plan.upgraded_client_state',
    });
  return { name, height, info };
}

export function validateSoftwareUpgrade(msg: MsgSoftwareUpgrade): void {
  requireGovAuthority(msg.authority);
  planFromProto(msg.plan);
}

export function validateCancelUpgrade(msg: MsgCancelUpgrade): void {
  requireGovAuthority(msg.authority);
}
