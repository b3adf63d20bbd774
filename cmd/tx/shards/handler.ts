/**
 * The messages of `aind tx shards ...` from command-line text: the branch (validators by consensus
 * key or by node home, accounts, trust and consensus rules, the genesis hash computed here), a
 * report of another chain's header, a proof of a child's value, transfers and unfreezing. Every
 * argument is checked before the node is contacted; then the standard tx flags sign and send.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { EncodeObject } from '@cosmjs/proto-signing';
import { SignedHeader } from 'cosmjs-types/tendermint/types/types';
import { ValidatorSet } from 'cosmjs-types/tendermint/types/validator';
import { ainError, ErrInvalidRequest, parseAmount, validateDenom } from '../../../core/index.ts';
import { cometRpcClient, proveChildValue, queryClientState, shardsMsg } from '../../../client/index.ts';
import { getKey, privValidatorPubkey, resolveKeyOrAddress } from '../../../home/index.ts';
import { checkShardName } from '../../../modules/shards/index.ts';
import { branchMessage, DEFAULT_TRUST, fetchUpdate, latestHeight } from '../../../relayer/index.ts';
import type { TrustParams } from '../../../proto/gen/ain/shards/v1/types.ts';
import { type BroadcastOutcome, nodeHttpUrl, type SendOptions, sendMessages, withCometClient } from '../../common/index.ts';

export const SHARDS_TX_COMMANDS = ['branch', 'report', 'prove', 'transfer', 'unfreeze'] as const;
export type ShardsTxCommand = (typeof SHARDS_TX_COMMANDS)[number];

/** Options of the commands (commander's camelCase of each `--flag`), text as typed. */
export interface ShardsTxFlags {
  readonly childChainId?: string | undefined;
  readonly validator?: readonly string[] | undefined;
  readonly account?: readonly string[] | undefined;
  readonly genesisTime?: string | undefined;
  readonly trustingPeriod?: string | undefined;
  readonly trustLevel?: string | undefined;
  readonly maxClockDrift?: string | undefined;
  readonly blockTime?: string | undefined;
  readonly maxBlockBytes?: string | undefined;
  readonly reportFee?: string | undefined;
  readonly deposit?: string | undefined;
  readonly admin?: string | undefined;
  readonly source?: string | undefined;
  readonly height?: string | undefined;
  readonly child?: string | undefined;
  readonly timeoutHeight?: string | undefined;
  readonly timeoutBlocks?: string | undefined;
  readonly denom?: string | undefined;
}

const refuse = (detail: string): never => {
  throw ainError(ErrInvalidRequest, detail);
};

function uint(text: string | undefined, flag: string, fallback: bigint): bigint {
  if (text === undefined) return fallback;
  if (!/^(0|[1-9][0-9]{0,17})$/.test(text)) refuse(`${flag} "${text}" must be a non-negative integer`);
  return BigInt(text);
}

/** `1s`, `500ms` or a number of ms. */
function durationMs(text: string | undefined, fallback: bigint): bigint {
  if (text === undefined) return fallback;
  const match = /^([1-9][0-9]{0,6})(ms|s)?$/.exec(text);
  if (!match) return refuse(`--block-time "${text}" must be a duration like 1s or 500ms`);
  return BigInt(match[1]!) * (match[2] === 's' ? 1000n : 1n);
}

/** `1/3`. */
function fraction(text: string | undefined): { numerator: bigint; denominator: bigint } {
  if (text === undefined) return { numerator: DEFAULT_TRUST.trustNumerator, denominator: DEFAULT_TRUST.trustDenominator };
  const match = /^([1-9][0-9]{0,8})\/([1-9][0-9]{0,8})$/.exec(text);
  if (!match) return refuse(`--trust-level "${text}" must be a fraction like 1/3 or 2/3`);
  return { numerator: BigInt(match[1]!), denominator: BigInt(match[2]!) };
}

/** Unix seconds or an RFC 3339 time; default now. */
function genesisTime(text: string | undefined): bigint {
  if (text === undefined) return BigInt(Math.floor(Date.now() / 1000));
  if (/^[0-9]{1,12}$/.test(text)) return BigInt(text);
  const millis = Date.parse(text);
  if (Number.isNaN(millis)) refuse(`--genesis-time "${text}" must be unix seconds or an RFC 3339 time`);
  return BigInt(Math.floor(millis / 1000));
}

/** `--validator KEY:POWER:OPERATOR`, KEY a base64 ed25519 key or a node home holding config/priv_validator_key.json. */
function validatorOf(home: string, spec: string) {
  const parts = spec.split(':');
  if (parts.length !== 3) return refuse(`--validator "${spec}" must be KEY:POWER:OPERATOR (KEY: base64 ed25519 key or a node home)`);
  const [key, power, operator] = parts as [string, string, string];
  const pubKey = existsSync(join(key, 'config', 'priv_validator_key.json')) ? privValidatorPubkey(key) : key;
  if (!/^[A-Za-z0-9+/]{43}=$/.test(pubKey)) refuse(`--validator "${spec}": ${key} is neither a 32-byte base64 key nor a node home`);
  return { pubKey, power: uint(power, '--validator power', 0n), operator: resolveKeyOrAddress(home, operator, '--validator operator') };
}

function accountOf(home: string, spec: string) {
  const [address, amount] = spec.split(':');
  if (address === undefined || amount === undefined) return refuse(`--account "${spec}" must be ADDRESS:AMOUNT (uain)`);
  return { address: resolveKeyOrAddress(home, address, '--account'), amount: parseAmount(amount, '--account amount') };
}

/** The messages of one `tx shards` command for `signer` (network reads done here). */
export async function shardsTxMessages(
  command: ShardsTxCommand,
  args: readonly string[],
  flags: ShardsTxFlags,
  options: SendOptions,
  signer: string,
): Promise<EncodeObject[]> {
  const [shard = '', second = '', third = ''] = args;
  if (command === 'branch') checkShardName(shard, 'NAME', false);
  else checkShardName(shard, 'SHARD');
  switch (command) {
    case 'branch': {
      if (!flags.childChainId) refuse('--child-chain-id is required');
      const level = fraction(flags.trustLevel);
      const trust: TrustParams = {
        trustingPeriodSeconds: uint(flags.trustingPeriod, '--trusting-period', DEFAULT_TRUST.trustingPeriodSeconds),
        trustNumerator: level.numerator,
        trustDenominator: level.denominator,
        maxClockDriftSeconds: uint(flags.maxClockDrift, '--max-clock-drift', DEFAULT_TRUST.maxClockDriftSeconds),
      };
      const validators = (flags.validator ?? []).map((spec) => validatorOf(options.home, spec));
      if (validators.length === 0) refuse('give at least one --validator KEY:POWER:OPERATOR');
      const url = nodeHttpUrl(options.node);
      const chainId = await withCometClient(options.node, async (comet) => (await comet.status()).nodeInfo.network);
      const msg = await branchMessage(
        { chainId, rpc: cometRpcClient(url, 15_000) },
        {
          signer,
          name: shard,
          childChainId: flags.childChainId!,
          validators,
          accounts: (flags.account ?? []).map((spec) => accountOf(options.home, spec)),
          genesisTime: genesisTime(flags.genesisTime),
          trust,
          blockTimeMs: durationMs(flags.blockTime, 1000n),
          maxBlockBytes: uint(flags.maxBlockBytes, '--max-block-bytes', 22_020_096n),
          reportFee: uint(flags.reportFee, '--report-fee', 0n),
          deposit: uint(flags.deposit, '--deposit', 0n),
          ...(flags.admin === undefined ? {} : { admin: resolveKeyOrAddress(options.home, flags.admin, '--admin') }),
        },
      );
      return [shardsMsg.branch(signer, msg)];
    }
    case 'report': {
      if (!flags.source) refuse("--source <url> (the reported chain's RPC) is required");
      const rpc = cometRpcClient(nodeHttpUrl(flags.source), 15_000);
      const height = flags.height === undefined ? (await latestHeight({ rpc })) - 1n : uint(flags.height, '--height', 0n);
      const update = await fetchUpdate({ rpc }, height);
      return [
        shardsMsg.report(signer, {
          shard,
          signedHeader: SignedHeader.encode(update.signedHeader).finish(),
          validators: ValidatorSet.encode(update.validators).finish(),
          nextValidators: ValidatorSet.encode(update.nextValidators).finish(),
        }),
      ];
    }
    case 'prove': {
      if (!flags.child) refuse("--child <url> (the child chain's RPC) is required");
      const proof = await withCometClient(options.node, (parent) =>
        withCometClient(flags.child!, (child) => proveChildValue({ parent, child, shard, path: second })),
      );
      if (!proof.verified) refuse(`the child's proof of ${second} does not verify against the app hash the parent holds`);
      return [proof.message(signer)];
    }
    case 'transfer': {
      const receiver = resolveKeyOrAddress(options.home, second, 'RECEIVER');
      parseAmount(third, 'AMOUNT');
      // Empty: uain from a parent, the parent's uain voucher from a child (the node decides which way each denom goes).
      const denom = flags.denom ?? '';
      if (denom !== '') validateDenom(denom, '--denom');
      let timeoutHeight = flags.timeoutHeight === undefined ? 0n : uint(flags.timeoutHeight, '--timeout-height', 0n);
      if (timeoutHeight === 0n) {
        const reported = await withCometClient(options.node, async (comet) => (await queryClientState(comet, shard)).latest!.height);
        timeoutHeight = reported + uint(flags.timeoutBlocks, '--timeout-blocks', 1000n);
      }
      return [shardsMsg.transfer(signer, { shard, receiver, amount: third, timeoutHeight, denom })];
    }
    case 'unfreeze':
      return [shardsMsg.unfreeze(signer, { shard })];
  }
}

/** Builds the command's messages, then signs and sends them with the standard tx flags. */
export async function sendShardsTx(
  options: SendOptions,
  command: ShardsTxCommand,
  args: readonly string[],
  flags: ShardsTxFlags,
): Promise<BroadcastOutcome> {
  const signer = getKey(options.home, options.from, options.keyring).address;
  const messages = await shardsTxMessages(command, args, flags, options, signer);
  return sendMessages(options, () => messages);
}
