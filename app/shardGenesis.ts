/**
 * A child chain's genesis, built from its parent's registration (the `Shard` record MsgBranch
 * stores) and nothing else, so the brancher (`aind tx shards branch`, which records its hash) and
 * every child node (`aind shard init`, which checks that hash) build the very same document: the
 * chain id, genesis time and block size of the registration, each validator's operator funded with
 * its stake (power x 10^6 uain) and staked with the registered ed25519 key, the registered accounts,
 * the app `/apps/<name>` with the shard's admin, and the parent link (`app_state.shards.parent`)
 * whose trust root is the parent's validator set at the genesis time.
 */
import { createHash } from 'node:crypto';
import { toBase64 } from '@cosmjs/encoding';
import { canonicalJson, formatTimestamp, type JsonValue, parseCoins } from '../core/index.ts';
import { type AppState, addGenesisAccount, addGenesisValidator, defaultAppState } from './genesis.ts';
import type { ShardsGenesisJson } from '../modules/shards/index.ts';
import type { MsgBranch } from '../proto/gen/ain/shards/v1/tx.ts';
import type { Shard } from '../proto/gen/ain/shards/v1/types.ts';

/** genesis.json as CometBFT reads it (the fields a child's genesis sets). */
export interface ChildGenesisDoc {
  genesis_time: string;
  chain_id: string;
  initial_height: string;
  consensus_params: JsonValue;
  validators: unknown[];
  app_hash: string;
  app_state: AppState;
}

/** uain per unit of CometBFT power (the staking module's power reduction). */
const POWER_REDUCTION = 1_000_000n;

/** The consensus params CometBFT v0.38 writes, with the child's block size. */
function consensusParams(maxBlockBytes: bigint): JsonValue {
  return {
    block: { max_bytes: maxBlockBytes.toString(), max_gas: '-1' },
    evidence: { max_age_num_blocks: '100000', max_age_duration: '172800000000000', max_bytes: '1048576' },
    validator: { pub_key_types: ['ed25519'] },
    version: { app: '0' },
    abci: { vote_extensions_enable_height: '0' },
  };
}

/**
 * The registration a MsgBranch makes on the chain `parentChainId`, as far as the child's genesis
 * depends on it (not the height, creator or fee account the parent adds): what the brancher hashes.
 */
export function shardOfBranch(msg: MsgBranch, parentChainId: string): Shard {
  return {
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
    parentChainId,
    branchHeight: 0n,
    account: '',
    parentValidators: msg.parentValidators,
    parentTrust: msg.parentTrust ?? msg.trust,
  };
}

/**
 * The child's genesis.json for a registration (its `genesis_hash` is not an input: it is this
 * document's hash).
 * @example childGenesisDoc(shard).chain_id // 'ain-chat-1'
 */
export function childGenesisDoc(shard: Shard): ChildGenesisDoc {
  let appState: AppState = defaultAppState();
  const funded = new Map<string, bigint>();
  for (const account of shard.accounts) funded.set(account.address, (funded.get(account.address) ?? 0n) + BigInt(account.amount));
  for (const v of shard.validators) funded.set(v.operator, (funded.get(v.operator) ?? 0n) + v.power * POWER_REDUCTION);
  for (const [address, amount] of funded) appState = addGenesisAccount(appState, address, parseCoins(`${amount}uain`));
  shard.validators.forEach((v, i) => {
    appState = addGenesisValidator(appState, {
      operator: v.operator,
      consensusPubkeyBase64: toBase64(v.pubKey),
      selfDelegation: { denom: 'uain', amount: v.power * POWER_REDUCTION },
      moniker: `${shard.name}-validator-${i}`,
      commissionRate: '0.10',
    });
  });
  const trust = shard.parentTrust ?? shard.trust!;
  const shards: ShardsGenesisJson = {
    parent: {
      chain_id: shard.parentChainId,
      name: shard.name,
      admin: shard.admin,
      report_fee: shard.reportFee || '0',
      time: shard.genesisTime.toString(),
      validators: toBase64(shard.parentValidators),
      trust: {
        trusting_period_seconds: trust.trustingPeriodSeconds.toString(),
        trust_numerator: trust.trustNumerator.toString(),
        trust_denominator: trust.trustDenominator.toString(),
        max_clock_drift_seconds: trust.maxClockDriftSeconds.toString(),
      },
    },
  };
  appState = {
    ...appState,
    state: { ...(appState.state ?? { apps: [] }), apps: [{ name: shard.name, admins: [shard.admin], public: false, signer: shard.admin }] },
    shards,
  };
  return {
    genesis_time: formatTimestamp({ seconds: shard.genesisTime, nanos: 0 }),
    chain_id: shard.chainId,
    initial_height: '1',
    consensus_params: consensusParams(shard.consensus!.maxBlockBytes),
    validators: [],
    app_hash: '',
    app_state: appState,
  };
}

/** sha256 (hex) of a genesis document's canonical JSON: what MsgBranch records as `genesis_hash`. */
export function genesisHash(doc: ChildGenesisDoc): string {
  return createHash('sha256')
    .update(canonicalJson(doc as unknown as JsonValue))
    .digest('hex');
}
