/**
 * The distribution module's subtree `/distribution` (params at `/params/distribution/<name>`). Reward
 * amounts are DecCoins text (`decCoins.ts`): "<atomics><denom>,...".
 */
export const DISTRIBUTION_ROOT = '/distribution';
export const PARAMS_ROOT = '/params/distribution';
/** `/distribution/community_pool`: what the community pool holds (DecCoins). */
export const COMMUNITY_POOL_PATH = `${DISTRIBUTION_ROOT}/community_pool`;
/** `/distribution/minted`: uain minted as block rewards since genesis (decimal text). */
export const MINTED_PATH = `${DISTRIBUTION_ROOT}/minted`;
/** `/distribution/validators/<valoper>/{outstanding,commission,ratio}`. */
export const VALIDATORS_ROOT = `${DISTRIBUTION_ROOT}/validators`;
/** `/distribution/delegations/<delegator>/<valoper>`: the validator's ratio when the delegation's reward period began. */
export const DELEGATIONS_ROOT = `${DISTRIBUTION_ROOT}/delegations`;
/** `/distribution/withdraw_addresses/<delegator>`: where rewards go when not to the delegator. */
export const WITHDRAW_ADDRESSES_ROOT = `${DISTRIBUTION_ROOT}/withdraw_addresses`;

/** Everything the validator is owed (commission and delegators' rewards, plus rounding dust), DecCoins. */
export const outstandingPath = (valoper: string): string => `${VALIDATORS_ROOT}/${valoper}/outstanding`;
/** Commission accumulated and not withdrawn, DecCoins. */
export const commissionPath = (valoper: string): string => `${VALIDATORS_ROOT}/${valoper}/commission`;
/** Cumulative delegator rewards per whole share (10^18 share atomics), DecCoins. */
export const ratioPath = (valoper: string): string => `${VALIDATORS_ROOT}/${valoper}/ratio`;
export const validatorRecordsPath = (valoper: string): string => `${VALIDATORS_ROOT}/${valoper}`;
export const entryRatioPath = (delegator: string, valoper: string): string => `${DELEGATIONS_ROOT}/${delegator}/${valoper}`;
export const withdrawAddressPath = (delegator: string): string => `${WITHDRAW_ADDRESSES_ROOT}/${delegator}`;
