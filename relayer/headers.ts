/**
 * Reporting one chain's headers on the other: what `aind shard relay` does each round, in each
 * direction. It reads what the target last stored (its client state), so a restarted relayer
 * reports nothing twice, fetches the source's latest signed header and validator sets over CometBFT
 * RPC, sends the sets only when they are not the target's trusted next set, and bisects (as a
 * CometBFT light client does) when a skip is refused for too little trust. Another relayer that was
 * first (`shards/7`, `shards/8`) is not an error.
 */
import type { SignedHeader } from 'cosmjs-types/tendermint/types/types';
import { SignedHeader as SignedHeaderCodec } from 'cosmjs-types/tendermint/types/types';
import { ValidatorSet } from 'cosmjs-types/tendermint/types/validator';
import { toHex } from '@cosmjs/encoding';
import { AinError } from '../core/index.ts';
import { type AinClient, queryClientState, shardsMsg } from '../client/index.ts';
import { LIGHTCLIENT, SHARDS, shardsErrors, signedHeaderFromRpc, validatorSetFromRpc, validatorSetHash } from '../modules/shards/index.ts';
import type { ChainEnd } from './ends.ts';

/** What the source offers for one height: its signed header and the sets of that height and the next. */
export interface HeaderUpdate {
  readonly signedHeader: SignedHeader;
  readonly validators: ValidatorSet;
  readonly nextValidators: ValidatorSet;
}

/** All validators of a height, page by page (CometBFT pages at most 100). */
async function validatorsAt(end: Pick<ChainEnd, 'rpc'>, height: bigint): Promise<ValidatorSet> {
  const pages: unknown[] = [];
  for (let page = 1; ; page++) {
    const result = (await end.rpc('validators', { height: height.toString(), page: String(page), per_page: '100' })) as {
      validators: unknown[];
      total: string;
    };
    pages.push(result);
    if (pages.reduce<number>((n, p) => n + (p as { validators: unknown[] }).validators.length, 0) >= Number(result.total)) break;
  }
  return validatorSetFromRpc(...pages);
}

/** The source's signed header at `height` and its validator sets. */
export async function fetchUpdate(end: Pick<ChainEnd, 'rpc'>, height: bigint): Promise<HeaderUpdate> {
  const [commit, validators, nextValidators] = await Promise.all([
    end.rpc('commit', { height: height.toString() }),
    validatorsAt(end, height),
    validatorsAt(end, height + 1n),
  ]);
  return { signedHeader: signedHeaderFromRpc(commit), validators, nextValidators };
}

/** The source's latest height whose next validator set is known (CometBFT knows it once the block is committed). */
export async function latestHeight(end: Pick<ChainEnd, 'rpc'>): Promise<bigint> {
  const status = (await end.rpc('status', {})) as { sync_info: { latest_block_height: string } };
  return BigInt(status.sync_info.latest_block_height);
}

const hex = (bytes: Uint8Array) => toHex(bytes).toUpperCase();

/** What happened to one report. */
export type ReportResult =
  | { readonly kind: 'reported'; readonly height: bigint; readonly fee: string; readonly gasUsed: bigint; readonly bytes: number }
  | { readonly kind: 'up-to-date' | 'frozen' | 'taken'; readonly height: bigint };

function isCode(error: unknown, codespace: string, code: number): boolean {
  return error instanceof AinError && error.codespace === codespace && error.code === code;
}

/**
 * Reports `source`'s latest header on `target`'s link `shard` (a child's name on a parent, `parent`
 * on a child), bisecting down when the target's trusted set cannot vouch for a long skip.
 */
export async function reportLatest(source: ChainEnd, target: ChainEnd & { client: AinClient }, shard: string): Promise<ReportResult> {
  const client = await queryClientState(target.client.cometClient, shard);
  const trusted = client.latest!.height;
  if (client.frozen) return { kind: 'frozen', height: trusted };
  let height: bigint;
  try {
    height = await latestHeight(source);
  } catch {
    return { kind: 'up-to-date', height: trusted };
  }
  if (height <= trusted) return { kind: 'up-to-date', height: trusted };
  const trustedNext = client.latest!.nextValidatorsHash;
  let withSets = false;
  for (let attempt = 0; attempt < 24; attempt++) {
    let update: HeaderUpdate;
    try {
      update = await fetchUpdate(source, height);
    } catch (error) {
      // The next height's set is not there yet (the newest block): one lower.
      if (height - 1n > trusted) {
        height -= 1n;
        continue;
      }
      throw error;
    }
    const header = update.signedHeader.header!;
    const sendValidators = withSets || hex(header.validatorsHash) !== trustedNext;
    const sendNext =
      withSets || (hex(header.nextValidatorsHash) !== hex(header.validatorsHash) && hex(header.nextValidatorsHash) !== trustedNext);
    const message = shardsMsg.report(target.client.address!, {
      shard,
      signedHeader: SignedHeaderCodec.encode(update.signedHeader).finish(),
      validators: sendValidators ? ValidatorSet.encode(update.validators).finish() : new Uint8Array(),
      nextValidators: sendNext ? ValidatorSet.encode(update.nextValidators).finish() : new Uint8Array(),
    });
    const value = message.value as { signedHeader: Uint8Array; validators: Uint8Array; nextValidators: Uint8Array };
    try {
      const result = await target.client.signAndBroadcast([message]);
      const fee =
        result.events.find((e) => e.type === 'ain.shards.v1.EventReported')?.attributes.find((a) => a.key === 'fee')?.value ?? '0';
      return {
        kind: 'reported',
        height,
        fee,
        gasUsed: result.gasUsed,
        bytes: value.signedHeader.length + value.validators.length + value.nextValidators.length,
      };
    } catch (error) {
      if (isCode(error, SHARDS, shardsErrors.ErrDuplicateReport.code) || isCode(error, SHARDS, shardsErrors.ErrStaleReport.code)) {
        return { kind: 'taken', height };
      }
      if (isCode(error, SHARDS, shardsErrors.ErrMissingValidators.code) && !withSets) {
        withSets = true;
        continue;
      }
      // Too long a skip for the trusted set: halve it, as the light client's bisection does.
      if (isCode(error, LIGHTCLIENT, 7) && height - trusted > 1n) {
        height = trusted + (height - trusted) / 2n;
        continue;
      }
      throw error;
    }
  }
  throw new Error(`could not report ${source.chainId} on ${target.chainId} after 24 attempts`);
}

/** The hash CometBFT gives a validator set (to compare with a header's). */
export const setHash = (set: ValidatorSet): string => hex(validatorSetHash(set.validators));
