/**
 * `aind tx shards recovery-proposal`: writes the proposal file that recovers an expired or frozen
 * link by governance (`MsgRecoverLink`), so an operator need not base64-encode a signed header and
 * its validator sets by hand. It reads the link (its chain id, latest trusted height) and the gov
 * minimum deposit from `--node` (the chain holding the link; the authority is the gov module's
 * address, the same on every chain), fetches the other chain's signed header and sets from `--source` as the relayer does, checks the header's chain id
 * and height against the link, and writes proto3 JSON that `aind tx gov submit-proposal` reads.
 * It signs and sends nothing.
 */
import { writeFileSync } from 'node:fs';
import { QueryParamsRequest, QueryParamsResponse } from 'cosmjs-types/cosmos/gov/v1/query';
import { SignedHeader } from 'cosmjs-types/tendermint/types/types';
import { ValidatorSet } from 'cosmjs-types/tendermint/types/validator';
import { toHex } from '@cosmjs/encoding';
import { abciQueryOrThrow, cometRpcClient, queryClientState, SHARDS_TYPE_URLS } from '../../../client/index.ts';
import { ainError, ErrInvalidRequest, govAuthority, parseCoins } from '../../../core/index.ts';
import { checkShardName } from '../../../modules/shards/index.ts';
import { fetchUpdate, type HeaderUpdate, latestHeight } from '../../../relayer/index.ts';
import { nodeHttpUrl, withCometClient } from '../../common/index.ts';

/** The command's options (commander's camelCase of each `--flag`), text as typed. */
export interface RecoveryProposalFlags {
  readonly source?: string | undefined;
  readonly height?: string | undefined;
  readonly title?: string | undefined;
  readonly summary?: string | undefined;
  readonly deposit?: string | undefined;
  readonly metadata?: string | undefined;
  readonly outputDocument?: string | undefined;
}

/** The arguments, checked before any node is contacted. */
export interface RecoveryRequest {
  readonly shard: string;
  /** The RPC URL of the chain the link follows. */
  readonly source: string;
  /** Undefined: the source's latest height but one (the newest whose next set is known). */
  readonly height: bigint | undefined;
  readonly title: string | undefined;
  readonly summary: string | undefined;
  /** Coins text; undefined: the chain's minimum deposit. */
  readonly deposit: string | undefined;
  readonly metadata: string;
  readonly outputDocument: string;
}

/** What the chain holding the link says about it and about its governance. */
export interface LinkView {
  readonly chainId: string;
  readonly trustedHeight: bigint;
  readonly trustedTimeSeconds: bigint;
  readonly frozen: boolean;
  readonly trustingPeriodSeconds: bigint;
  /** The gov module account's address, the message's authority. */
  readonly authority: string;
  /** Coins text, e.g. "10000000uain". */
  readonly minDeposit: string;
}

/** A proposal file as `aind tx gov submit-proposal` reads it. */
export interface RecoveryProposalFile {
  readonly messages: ReadonlyArray<Record<string, string>>;
  readonly metadata: string;
  readonly deposit: string;
  readonly title: string;
  readonly summary: string;
}

const refuse = (detail: string): never => {
  throw ainError(ErrInvalidRequest, detail);
};

const hex = (bytes: Uint8Array) => toHex(bytes).toUpperCase();
const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

/**
 * Checks the arguments: the shard name, `--source` given, `--height` a positive integer, `--deposit` coins.
 * @throws AinError sdk/18 naming the argument or flag
 */
export function recoveryRequest(shard: string, flags: RecoveryProposalFlags): RecoveryRequest {
  checkShardName(shard, 'SHARD');
  if (!flags.source) refuse('--source <url> (the RPC of the chain the link follows) is required');
  if (flags.height !== undefined && !/^[1-9][0-9]{0,17}$/.test(flags.height))
    refuse(`--height "${flags.height}" must be a positive integer`);
  if (flags.deposit !== undefined) parseCoins(flags.deposit, '--deposit');
  if (flags.title === '') refuse('--title must not be empty');
  if (flags.summary === '') refuse('--summary must not be empty');
  return {
    shard,
    source: flags.source!,
    height: flags.height === undefined ? undefined : BigInt(flags.height),
    title: flags.title,
    summary: flags.summary,
    deposit: flags.deposit,
    metadata: flags.metadata ?? '',
    outputDocument: flags.outputDocument ?? `recover-${shard}.json`,
  };
}

/**
 * The proposal file for `update`, after the checks MsgRecoverLink would fail on that need only the
 * link: the header's chain id is the link's, its height above the latest trusted one.
 * @throws AinError sdk/18 naming --source (another chain) or --height (not above the trusted height)
 */
export function recoveryProposalFile(request: RecoveryRequest, link: LinkView, update: HeaderUpdate): RecoveryProposalFile {
  const header = update.signedHeader.header!;
  if (header.chainId !== link.chainId) {
    refuse(`--source ${request.source} serves chain ${header.chainId}, but shard ${request.shard} follows ${link.chainId}`);
  }
  if (header.height <= link.trustedHeight) {
    refuse(
      `--height ${header.height}${request.height === undefined ? " (the source's latest but one)" : ''} must be above ${link.trustedHeight}, the latest height shard ${request.shard} trusts`,
    );
  }
  // The next set only when it differs, as MsgRecoverLink takes it.
  const sameNext = hex(header.nextValidatorsHash) === hex(header.validatorsHash);
  const message: Record<string, string> = {
    '@type': SHARDS_TYPE_URLS.recoverLink,
    authority: link.authority,
    shard: request.shard,
    signed_header: base64(SignedHeader.encode(update.signedHeader).finish()),
    validators: base64(ValidatorSet.encode(update.validators).finish()),
    ...(sameNext ? {} : { next_validators: base64(ValidatorSet.encode(update.nextValidators).finish()) }),
  };
  return {
    messages: [message],
    metadata: request.metadata,
    deposit: request.deposit ?? link.minDeposit,
    title: request.title ?? `Recover shard ${request.shard}`,
    summary:
      request.summary ??
      `Trust ${header.chainId}'s header at height ${header.height} (hash ${hex(update.signedHeader.commit!.blockId!.hash)}) as the new trust root of shard ${request.shard}, which trusts height ${link.trustedHeight}${link.frozen ? ' and is frozen' : ''}.`,
  };
}

/** The link and the chain's minimum deposit, from the node holding the link (and the gov authority). */
export async function readLinkView(node: string, shard: string): Promise<LinkView> {
  return withCometClient(node, async (comet) => {
    const client = await queryClientState(comet, shard);
    const params = QueryParamsResponse.decode(
      (await abciQueryOrThrow(comet, '/cosmos.gov.v1.Query/Params', QueryParamsRequest.encode({ paramsType: '' }).finish())).value,
    ).params!;
    return {
      chainId: client.chainId,
      trustedHeight: client.latest!.height,
      trustedTimeSeconds: client.latest!.timeSeconds,
      frozen: client.frozen,
      trustingPeriodSeconds: client.trust!.trustingPeriodSeconds,
      authority: govAuthority(),
      minDeposit: params.minDeposit.map((coin) => `${coin.amount}${coin.denom}`).join(','),
    };
  });
}

/** What was written, and the lines to print. */
export interface WrittenRecoveryProposal {
  readonly path: string;
  readonly height: bigint;
  readonly lines: readonly string[];
}

/**
 * Reads the link from `node`, fetches the header from `--source`, writes the proposal file.
 * @example await writeRecoveryProposal('http://127.0.0.1:26657', 'chat', { source: 'http://127.0.0.1:26757' })
 */
export async function writeRecoveryProposal(node: string, shard: string, flags: RecoveryProposalFlags): Promise<WrittenRecoveryProposal> {
  const request = recoveryRequest(shard, flags);
  const link = await readLinkView(node, shard);
  const rpc = cometRpcClient(nodeHttpUrl(request.source), 15_000);
  const latest = await latestHeight({ rpc });
  const height = request.height ?? latest - 1n;
  // CometBFT knows the next height's set once the block is committed: the latest height has none yet.
  if (height < 1n) refuse(`--source ${request.source} has no block with a known next validator set yet (its latest height is ${latest})`);
  if (height >= latest) refuse(`--height ${height} must be below ${latest}, the latest height of --source ${request.source}`);
  const update = await fetchUpdate({ rpc }, height);
  const file = recoveryProposalFile(request, link, update);
  writeFileSync(request.outputDocument, `${JSON.stringify(file, null, 2)}\n`);
  const header = update.signedHeader.header!;
  const isoTime = (seconds: bigint) => new Date(Number(seconds) * 1000).toISOString();
  const linkUpdatesUntil = link.trustedTimeSeconds + link.trustingPeriodSeconds;
  // Reports still update the link: the proposal fails (shards/20) unless it is frozen or expired when it runs.
  const active =
    !link.frozen && linkUpdatesUntil * 1000n > BigInt(Date.now())
      ? [`note: reports still update shard ${shard} until ${isoTime(linkUpdatesUntil)}; a recovery run before then fails (shards/20)`]
      : [];
  return {
    path: request.outputDocument,
    height,
    lines: [
      `wrote ${request.outputDocument}: MsgRecoverLink of shard ${shard} to ${header.chainId} height ${height} (validators hash ${hex(header.validatorsHash)})`,
      `the proposal must pass before ${isoTime(header.time!.seconds + link.trustingPeriodSeconds)}, when this header leaves the trusting period`,
      ...active,
      `next: aind tx gov submit-proposal ${request.outputDocument} --from <key> --node ${node}`,
    ],
  };
}
