/**
 * The shards module: child chains that take over a subtree of the state (`/apps/<name>`), their
 * signed headers reported to the parent and verified as a CometBFT light client does, proofs of
 * their state on the parent, and the parent's uain moved across and back with proofs. One module
 * serves both sides: a parent's children and a child's parent. The face of `modules/shards/`, with
 * the light client's names (`lightclient/`) that relayers and the CLI use.
 */
import { defineModule, type JsonCodec, type ModuleDefinition, queryRoutes } from '../../core/index.ts';
import type { BankKeeper, StateKeeper } from './expected_keepers.ts';
import { type ShardsGenesisJson, shardsGenesis } from './genesis.ts';
import { ShardsKeeper } from './keeper.ts';
import { SHARDS_ROOT } from './keys.ts';
import { shardsJsonTypes, shardsMsgHandlers } from './msg_server.ts';
import { registerShardsQueries } from './query.ts';
import { SHARDS_MODULE } from './records.ts';
import { shardsRestRoutes } from './rest.ts';

const jsonType = (codec: JsonCodec<unknown> & { $type: string }): readonly [string, JsonCodec<unknown>] => [`/${codec.$type}`, codec];

export const shardsModule: ModuleDefinition<ShardsKeeper, ShardsGenesisJson> = {
  name: SHARDS_MODULE,
  requires: ['bank', 'state'],
  create(registry) {
    const keeper = new ShardsKeeper(
      registry.keeper<BankKeeper>('bank'),
      registry.keeper<StateKeeper>('state'),
      registry.moduleAccountAddresses,
    );
    return defineModule({
      name: SHARDS_MODULE,
      keeper,
      subtrees: [SHARDS_ROOT],
      moduleAccounts: [SHARDS_MODULE],
      msgHandlers: shardsMsgHandlers(keeper),
      queries: queryRoutes((router) => registerShardsQueries(router, keeper)),
      restRoutes: shardsRestRoutes,
      jsonTypes: shardsJsonTypes.map((codec) => jsonType(codec as JsonCodec<unknown> & { $type: string })),
      genesis: shardsGenesis(keeper),
    });
  },
};
export { ShardsKeeper } from './keeper.ts';
export { SHARDS } from './errors.ts';
export * as shardsErrors from './errors.ts';
export type { ParentGenesisJson, ShardsGenesisJson } from './genesis.ts';
export { childRoot, PARENT_LINK, PARENT_ROOT, packetPath, receiptPath, voucherDenom } from './keys.ts';
export { checkShardName, MAX_CHILD_VALIDATORS, SHARD_NAME_PATTERN, validatorSetOf } from './msgs.ts';
export { feeAccountOf, packetCommitment, SHARDS_MODULE } from './records.ts';
export {
  ErrBadSignature,
  ErrConflictingHeaders,
  ErrHeaderFromFuture,
  ErrHeaderHashMismatch,
  ErrNonMonotonicHeight,
  ErrNonMonotonicTime,
  ErrNotEnoughPower,
  ErrNotEnoughTrust,
  ErrTrustingPeriodExpired,
  ErrUnknownValidator,
  ErrValidatorSetHashMismatch,
  ErrWrongChainId,
  commitSignBytes,
  ed25519Address,
  headerHash,
  LIGHTCLIENT,
  type LightClientParams,
  signedHeaderFromRpc,
  type TrustedState,
  validatorSetFromRpc,
  validatorSetHash,
  verifyFromRoot,
  verifyUpdate,
} from './lightclient/index.ts';
