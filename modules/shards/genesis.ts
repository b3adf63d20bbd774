/**
 * `app_state.shards` (optional). On a child chain, `parent` (written by `aind shard init` from the
 * parent's registration) names the parent chain, the child's shard name there, the admin who may
 * unfreeze the link, the report fee, how the child verifies the parent (`trust`) and the trust
 * root: the parent's validator set (base64 tendermint.types.ValidatorSet) at `time` (the child's
 * genesis time). In an exported genesis the whole `/shards` subtree travels as `leaves`, checked at
 * InitChain against what the keeper writes and the escrows against the module account (`genesisLeaves.ts`). A genesis
 * without the section writes nothing, so chains from before the module keep their app hash.
 */
import {
  ainError,
  exportSubtrees,
  type GenesisContext,
  importSubtrees,
  type ModuleGenesis,
  parseAddress,
  parseAmount,
  type SubtreeLeaves,
} from '../../core/index.ts';
import { ErrInvalidGenesis } from './errors.ts';
import { checkShardsLeaves } from './genesisLeaves.ts';
import type { ShardsKeeper } from './keeper.ts';
import { PARENT_ROOT, SHARDS_ROOT } from './keys.ts';
import { startTrust } from './branch.ts';
import { bytesFromText, checkShardName, checkTrust, decodeValidatorSet } from './msgs.ts';
import { writeParent } from './records.ts';
import { checkChainId } from './lightclient/validate.ts';

/** A child's parent in genesis JSON: integers as decimal text. */
export interface ParentGenesisJson {
  chain_id: string;
  name: string;
  admin: string;
  report_fee: string;
  time: string;
  validators: string;
  trust: { trusting_period_seconds: string; trust_numerator: string; trust_denominator: string; max_clock_drift_seconds: string };
}

export interface ShardsGenesisJson {
  parent?: ParentGenesisJson;
  leaves?: SubtreeLeaves;
}

const bad = (detail: string): never => {
  throw ainError(ErrInvalidGenesis, `genesis shards.${detail}`);
};

function uint(text: unknown, field: string): bigint {
  if (typeof text !== 'string' || !/^(0|[1-9][0-9]{0,18})$/.test(text)) return bad(`${field} must be a decimal integer text`);
  return BigInt(text);
}

function parentOf(json: ParentGenesisJson) {
  if (typeof json !== 'object' || json === null) return bad('parent must be an object');
  checkChainId(json.chain_id, 'genesis shards.parent.chain_id');
  checkShardName(json.name, 'genesis shards.parent.name', false);
  parseAddress(json.admin, 'genesis shards.parent.admin');
  const t = json.trust ?? bad('parent.trust is missing');
  const trust = checkTrust(
    {
      trustingPeriodSeconds: uint(t.trusting_period_seconds, 'parent.trust.trusting_period_seconds'),
      trustNumerator: uint(t.trust_numerator, 'parent.trust.trust_numerator'),
      trustDenominator: uint(t.trust_denominator, 'parent.trust.trust_denominator'),
      maxClockDriftSeconds: uint(t.max_clock_drift_seconds, 'parent.trust.max_clock_drift_seconds'),
    },
    'genesis shards.parent.trust',
  );
  const validators = decodeValidatorSet(
    bytesFromText(json.validators ?? '', 'genesis shards.parent.validators'),
    'genesis shards.parent.validators',
  );
  if (!validators) return bad('parent.validators must hold the parent validator set');
  return {
    record: { chainId: json.chain_id, name: json.name, trust },
    admin: json.admin,
    reportFee: parseAmount(json.report_fee ?? '0', 'genesis shards.parent.report_fee'),
    time: uint(json.time, 'parent.time'),
    validators,
  };
}

function validateShardsGenesis(genesis: ShardsGenesisJson): void {
  if (typeof genesis !== 'object' || genesis === null || Array.isArray(genesis)) bad('must be an object');
  for (const key of Object.keys(genesis))
    if (key !== 'parent' && key !== 'leaves') bad(`${key} is not known; expected "parent" (and "leaves" in an export)`);
  if (genesis.parent !== undefined) parentOf(genesis.parent);
}

/** The shards module's part of the genesis contract (bank's balances, imported before, hold the escrows). */
export const shardsGenesis = (keeper: Pick<ShardsKeeper, 'escrowBalances'>): ModuleGenesis<ShardsGenesisJson> => ({
  defaultGenesis: () => ({}),
  validate: validateShardsGenesis,
  init(ctx: GenesisContext, genesis) {
    if (genesis === undefined) return undefined;
    validateShardsGenesis(genesis);
    importSubtrees(ctx.state, genesis.leaves, [SHARDS_ROOT], 'genesis shards.leaves');
    if (genesis.leaves !== undefined) checkShardsLeaves(genesis.leaves, keeper.escrowBalances(ctx.state), ctx.chainId);
    if (genesis.parent !== undefined) {
      if (genesis.leaves !== undefined) bad('give parent or leaves, not both');
      const parent = parentOf(genesis.parent);
      writeParent(ctx.state, parent);
      startTrust(ctx, PARENT_ROOT, parent.validators, parent.time);
    }
    return undefined;
  },
  // Every record travels as the leaf it is, so an import writes exactly what was stored.
  exportGenesis: (state) => ({ leaves: exportSubtrees(state, [SHARDS_ROOT]) }),
});
