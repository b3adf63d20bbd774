/**
 * `aind tx gov ...`: the messages of the gov commands (checked here, before the node is contacted),
 * then signed, broadcast and awaited with `sendMessages`.
 */
import { readFileSync } from 'node:fs';
import type { EncodeObject } from '@cosmjs/proto-signing';
import { VoteOption } from 'cosmjs-types/cosmos/gov/v1/gov';
import { MsgCancelProposal, MsgDeposit, MsgSubmitProposal, MsgVote, MsgVoteWeighted } from 'cosmjs-types/cosmos/gov/v1/tx';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import { ainRegistry } from '../../../client/index.ts';
import { ainError, coinsToProto, ErrInvalidRequest, parseCoins } from '../../../core/index.ts';
import { legacyDecsToWire } from '../../../modules/gov/index.ts';
import { type BroadcastOutcome, type SendOptions, sendMessages } from '../../common/index.ts';

export const GOV_TX_COMMANDS = ['submit-proposal', 'cancel-proposal', 'deposit', 'vote', 'weighted-vote'] as const;
export type GovTxCommand = (typeof GOV_TX_COMMANDS)[number];

/** simd's vote option names. */
export const VOTE_OPTIONS: Readonly<Record<string, VoteOption>> = {
  yes: VoteOption.VOTE_OPTION_YES,
  abstain: VoteOption.VOTE_OPTION_ABSTAIN,
  no: VoteOption.VOTE_OPTION_NO,
  no_with_veto: VoteOption.VOTE_OPTION_NO_WITH_VETO,
};

/** A proposal file as simd's `tx gov submit-proposal` reads it. */
export interface ProposalFile {
  /** Messages as proto3 JSON with `@type` (snake_case or camelCase keys, durations as "600s", LegacyDecs as "0.05" as simd reads them). */
  readonly messages?: ReadonlyArray<Record<string, unknown>>;
  readonly metadata?: string;
  /** Coins, e.g. "10000000uain". */
  readonly deposit?: string;
  readonly title: string;
  readonly summary: string;
  /** An expedited proposal: shorter voting with a higher threshold, and a larger minimum deposit. */
  readonly expedited?: boolean;
}

function proposalId(text: string | undefined): bigint {
  if (text === undefined || !/^[0-9]{1,20}$/.test(text) || BigInt(text) === 0n)
    throw ainError(ErrInvalidRequest, `PROPOSAL_ID "${text ?? ''}" must be a positive integer`);
  return BigInt(text);
}

const camel = (key: string) => key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** The SDK's Duration JSON ("600s", "1.5s") under a duration field's key, as cosmjs-types reads it. */
const DURATION_KEY = /(_time|_period|_duration|Time|Period|Duration)$/;

function duration(text: string): { seconds: string; nanos: number } | undefined {
  const match = /^([0-9]{1,12})(?:\.([0-9]{1,9}))?s$/.exec(text);
  return match ? { seconds: match[1]!, nanos: Number((match[2] ?? '').padEnd(9, '0')) } : undefined;
}

/** snake_case keys to camelCase, and Duration strings under duration keys to `{seconds, nanos}`. */
function camelKeys(value: unknown, key = ''): unknown {
  if (typeof value === 'string' && DURATION_KEY.test(key)) return duration(value) ?? value;
  if (Array.isArray(value)) return value.map((item) => camelKeys(item, key));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [camel(k), camelKeys(v, k)]));
}

/**
 * A proposal file's message as an Any: its `@type` picks the codec of the chain's registry
 * (`ainRegistry`), the rest is read as that codec's JSON (camelCase after converting keys; LegacyDecs
 * from "0.05" to their wire form).
 * @throws AinError sdk/18 naming the message
 */
export function proposalMessage(json: Record<string, unknown>, index: number): Any {
  const typeUrl = json['@type'];
  const field = `messages[${index}]`;
  if (typeof typeUrl !== 'string') throw ainError(ErrInvalidRequest, `${field} has no "@type"`);
  const codec = ainRegistry().lookupType(typeUrl) as
    | { fromJSON?(o: unknown): unknown; encode(m: unknown): { finish(): Uint8Array } }
    | undefined;
  if (!codec?.fromJSON) throw ainError(ErrInvalidRequest, `${field} "@type" ${typeUrl} is not a message this chain knows`);
  const { ['@type']: _type, ...fields } = json;
  return { typeUrl, value: codec.encode(codec.fromJSON(camelKeys(legacyDecsToWire(typeUrl, fields, field)))).finish() };
}

/**
 * The messages of a gov tx command for `signer`.
 * @example govTxMessages('vote', ['3', 'yes'], 'ain1...')
 */
export function govTxMessages(command: GovTxCommand, args: readonly string[], signer: string): EncodeObject[] {
  switch (command) {
    case 'submit-proposal': {
      const path = args[0] ?? '';
      let file: ProposalFile;
      try {
        file = JSON.parse(readFileSync(path, 'utf8')) as ProposalFile;
      } catch (cause) {
        throw ainError(ErrInvalidRequest, `proposal file ${path}: ${(cause as Error).message}`);
      }
      if (typeof file !== 'object' || file === null) throw ainError(ErrInvalidRequest, `proposal file ${path} must hold a JSON object`);
      return [
        {
          typeUrl: MsgSubmitProposal.typeUrl,
          value: MsgSubmitProposal.fromPartial({
            messages: (file.messages ?? []).map(proposalMessage),
            initialDeposit: file.deposit ? coinsToProto(parseCoins(file.deposit, 'deposit')) : [],
            proposer: signer,
            metadata: file.metadata ?? '',
            title: file.title ?? '',
            summary: file.summary ?? '',
            expedited: file.expedited === true,
          }),
        },
      ];
    }
    case 'cancel-proposal':
      return [
        { typeUrl: MsgCancelProposal.typeUrl, value: MsgCancelProposal.fromPartial({ proposalId: proposalId(args[0]), proposer: signer }) },
      ];
    case 'deposit':
      return [
        {
          typeUrl: MsgDeposit.typeUrl,
          value: MsgDeposit.fromPartial({
            proposalId: proposalId(args[0]),
            depositor: signer,
            amount: coinsToProto(parseCoins(args[1] ?? '', 'DEPOSIT')),
          }),
        },
      ];
    case 'vote': {
      const option = VOTE_OPTIONS[args[1] ?? ''];
      if (option === undefined)
        throw ainError(ErrInvalidRequest, `OPTION "${args[1] ?? ''}" must be one of ${Object.keys(VOTE_OPTIONS).join(', ')}`);
      return [{ typeUrl: MsgVote.typeUrl, value: MsgVote.fromPartial({ proposalId: proposalId(args[0]), voter: signer, option }) }];
    }
    case 'weighted-vote': {
      // simd's syntax: yes=0.6,no=0.3,abstain=0.1
      const options = (args[1] ?? '').split(',').map((part) => {
        const [name, weight] = part.split('=');
        const option = VOTE_OPTIONS[name?.trim() ?? ''];
        if (option === undefined || weight === undefined || weight.trim() === '')
          throw ainError(ErrInvalidRequest, `WEIGHTED_OPTIONS "${part}" must be option=weight, e.g. yes=0.6,no=0.4`);
        return { option, weight: weight.trim() };
      });
      return [
        {
          typeUrl: MsgVoteWeighted.typeUrl,
          value: MsgVoteWeighted.fromPartial({ proposalId: proposalId(args[0]), voter: signer, options }),
        },
      ];
    }
  }
}

/**
 * A gov tx command: builds its messages for the `--from` key, signs, broadcasts and waits for the block.
 * @example await sendGovTx({ home, from: 'alice', node, gas: 'auto' }, 'vote', ['1', 'yes'])
 */
export function sendGovTx(options: SendOptions, command: GovTxCommand, args: readonly string[]): Promise<BroadcastOutcome> {
  return sendMessages(options, (signer) => govTxMessages(command, args, signer));
}
