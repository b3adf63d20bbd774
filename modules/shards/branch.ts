/**
 * Branching a child chain off the parent, the guard that keeps the parent's hands off the branched
 * subtree, and lifting a freeze. MsgBranch records the child's chain id, genesis hash, initial
 * validators, trust and consensus rules; the trust root of the link is the registered validator set
 * at the child's genesis time (height 0 in `R/client`), which the first report is verified from.
 * The guard answers the state keeper before any write under `/apps`: it reads through an unmetered
 * view, so paths that are not branched cost the same gas as before the module existed.
 */
import { ainError, type BlockContext, type Context, govAuthority, type ReadableState } from '../../core/index.ts';
import type { MsgBranch, MsgUnfreeze } from '../../proto/gen/ain/shards/v1/tx.ts';
import { type ConsensusState, ConsensusState as ConsensusStateCodec, Shard } from '../../proto/gen/ain/shards/v1/types.ts';
import { ErrBranchedPath, ErrNotFrozen, ErrShardExists, ErrUnauthorized } from './errors.ts';
import { branchedEvent, unfrozenEvent } from './events.ts';
import type { BankKeeper, BranchGuard, StateKeeper } from './expected_keepers.ts';
import { branchedPath, childRoot, clientPath, frozenPath, shardPath, valuePath } from './keys.ts';
import { validatorSetHash } from './lightclient/index.ts';
import { checkShardName, validatorSetOf } from './msgs.ts';
import { feeAccountOf, hexOf, isFrozen, readShard, requireLink, writeMessage, writeValset } from './records.ts';
import type { ValidatorSet } from 'cosmjs-types/tendermint/types/validator';

/** MsgBranch: registers the child; `/apps/<name>` belongs to it from this block on. Returns its fee account. */
export function branch(ctx: Context, bank: BankKeeper, state: StateKeeper, msg: MsgBranch): string {
  if (state.getValue(ctx.state, `/manage_app/${msg.name}/config/admin/${msg.signer}`) !== true) {
    throw ainError(ErrUnauthorized, `${msg.signer} is not an admin of the app ${msg.name}; only its admins may branch /apps/${msg.name}`);
  }
  if (readShard(ctx.state, msg.name)) throw ainError(ErrShardExists, `shard ${msg.name} is registered already`, { shard: msg.name });
  if (msg.chainId === ctx.chainId) {
    throw ainError(ErrShardExists, `chain_id: ${msg.chainId} is this chain's own; a child needs its own chain id`, { field: 'chain_id' });
  }
  const account = feeAccountOf(msg.name);
  const shard: Shard = {
    name: msg.name,
    path: `/apps/${msg.name}`,
    chainId: msg.chainId,
    genesisHash: msg.genesisHash,
    genesisTime: msg.genesisTime,
    validators: msg.validators,
    accounts: msg.accounts,
    trust: msg.trust,
    consensus: msg.consensus,
    admin: msg.admin || msg.signer,
    reportFee: msg.reportFee || '0',
    creator: msg.signer,
    parentChainId: ctx.chainId,
    branchHeight: ctx.height,
    account,
    parentValidators: msg.parentValidators,
    parentTrust: msg.parentTrust ?? msg.trust,
  };
  const root = childRoot(msg.name);
  writeMessage(ctx.state, shardPath(root), Shard, shard);
  startTrust(ctx, root, validatorSetOf(msg.validators), msg.genesisTime);
  ctx.state.set(branchedPath(msg.name), true);
  const deposit = BigInt(msg.deposit || '0');
  if (deposit > 0n) bank.sendCoins(ctx, msg.signer, account, [{ denom: 'uain', amount: deposit }]);
  ctx.events.emit(
    branchedEvent({
      name: msg.name,
      path: shard.path,
      chainId: msg.chainId,
      genesisHash: msg.genesisHash,
      admin: shard.admin,
      account,
    }),
  );
  return account;
}

/** A link's trust root: no header yet (height 0), the root's time, its validator set. */
export function startTrust(ctx: BlockContext, root: string, validators: ValidatorSet, timeSeconds: bigint): void {
  const hash = hexOf(validatorSetHash(validators.validators));
  writeValset(ctx.state, root, hash, validators);
  const client: ConsensusState = {
    height: 0n,
    timeSeconds,
    timeNanos: 0,
    headerHash: '',
    appHash: '',
    validatorsHash: '',
    nextValidatorsHash: hash,
  };
  writeMessage(ctx.state, clientPath(root), ConsensusStateCodec, client);
}

/** MsgUnfreeze: by the link's admin, or by the gov authority (a passed proposal carrying it). */
export function unfreeze(ctx: BlockContext, msg: MsgUnfreeze): void {
  const link = requireLink(ctx.state, msg.shard);
  if (msg.signer !== link.admin && msg.signer !== govAuthority())
    throw ainError(
      ErrUnauthorized,
      `only the admin ${link.admin} of shard ${link.name} or the gov authority ${govAuthority()} may unfreeze it`,
    );
  if (!isFrozen(ctx.state, link)) throw ainError(ErrNotFrozen, `shard ${link.name} is not frozen`);
  ctx.state.set(frozenPath(link.root), null);
  ctx.events.emit(unfrozenEvent({ shard: link.name, by: msg.signer }));
}

/** The state keeper's guard (see the module comment). */
export const branchGuard: BranchGuard = {
  checkWrite(state: ReadableState, path: string): void {
    const labels = path.split('/');
    // `/apps/<app>/...`: labels[0] is empty, [1] 'apps', [2] the app.
    const app = labels[1] === 'apps' ? labels[2] : undefined;
    if (app === undefined || state.get(branchedPath(app)) === undefined) return;
    throw ainError(ErrBranchedPath, `${path} belongs to the child chain of shard ${app} since its branch; write it there`, {
      path,
      shard: app,
    });
  },
  childValuePath(shard: string, path: string): string {
    checkShardName(shard, 'shard', false);
    return valuePath(childRoot(shard), path);
  },
};
