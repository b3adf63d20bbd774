/**
 * The branch transaction from plain options, as `aind tx shards branch` and the localnet send it:
 * the child's validators, accounts, trust and consensus rules, the parent's current validator set
 * (fetched over its RPC: what the child will start trusting), and the hash of the child genesis all
 * of this determines (`app/shardGenesis.ts`), which `aind shard init` checks on every child node.
 */
import { fromBase64 } from '@cosmjs/encoding';
import { ValidatorSet } from 'cosmjs-types/tendermint/types/validator';
import type { CometCall } from '../core/index.ts';
import { childGenesisDoc, genesisHash, shardOfBranch } from '../app/index.ts';
import { validatorSetFromRpc } from '../modules/shards/index.ts';
import { MsgBranch } from '../proto/gen/ain/shards/v1/tx.ts';
import type { TrustParams } from '../proto/gen/ain/shards/v1/types.ts';

export interface BranchOptions {
  readonly signer: string;
  readonly name: string;
  readonly childChainId: string;
  /** ed25519 consensus keys (base64, as priv_validator_key.json holds them), powers and operators on the child. */
  readonly validators: ReadonlyArray<{ readonly pubKey: string; readonly power: bigint; readonly operator: string }>;
  /** Funded accounts of the child's genesis (its own uain). */
  readonly accounts?: ReadonlyArray<{ readonly address: string; readonly amount: bigint }>;
  /** Seconds since the epoch. */
  readonly genesisTime: bigint;
  readonly trust: TrustParams;
  readonly parentTrust?: TrustParams;
  readonly blockTimeMs: bigint;
  readonly maxBlockBytes: bigint;
  readonly reportFee?: bigint;
  readonly deposit?: bigint;
  readonly admin?: string;
}

/** CometBFT's default-like trust: two weeks, 1/3, 10 s of drift. */
export const DEFAULT_TRUST: TrustParams = {
  trustingPeriodSeconds: 14n * 24n * 3600n,
  trustNumerator: 1n,
  trustDenominator: 3n,
  maxClockDriftSeconds: 10n,
};

/** A chain's current validator set over its RPC (every page). */
export async function currentValidators(rpc: CometCall): Promise<ValidatorSet> {
  const pages: unknown[] = [];
  let seen = 0;
  for (let page = 1; ; page++) {
    const result = (await rpc('validators', { page: String(page), per_page: '100' })) as { validators: unknown[]; total: string };
    pages.push(result);
    seen += result.validators.length;
    if (seen >= Number(result.total) || result.validators.length === 0) break;
  }
  return validatorSetFromRpc(...pages);
}

/** The MsgBranch for `options` on the parent `parentChainId`, whose validators `rpc` reaches. */
export async function branchMessage(
  parent: { readonly chainId: string; readonly rpc: CometCall },
  options: BranchOptions,
): Promise<MsgBranch> {
  const parentValidators = await currentValidators(parent.rpc);
  const msg = MsgBranch.fromPartial({
    signer: options.signer,
    name: options.name,
    chainId: options.childChainId,
    genesisTime: options.genesisTime,
    validators: options.validators.map((v) => ({ pubKey: fromBase64(v.pubKey), power: v.power, operator: v.operator })),
    accounts: (options.accounts ?? []).map((a) => ({ address: a.address, amount: a.amount.toString() })),
    trust: options.trust,
    ...(options.parentTrust === undefined ? {} : { parentTrust: options.parentTrust }),
    consensus: { blockTimeMs: options.blockTimeMs, maxBlockBytes: options.maxBlockBytes },
    admin: options.admin ?? '',
    reportFee: (options.reportFee ?? 0n).toString(),
    deposit: (options.deposit ?? 0n).toString(),
    parentValidators: ValidatorSet.encode(parentValidators).finish(),
  });
  return { ...msg, genesisHash: genesisHash(childGenesisDoc(shardOfBranch(msg, parent.chainId))) };
}
