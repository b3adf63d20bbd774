/**
 * The messages of `aind tx channels ...` from command-line text: payment channels (open, redeem,
 * close) and service contracts (propose, accept, end, claim misses, dispute, settle). Every argument
 * is checked before the node is contacted; then the standard tx flags sign and send.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { EncodeObject } from '@cosmjs/proto-signing';
import { channelsMsg } from '../../../client/index.ts';
import { ainError, ErrInvalidRequest } from '../../../core/index.ts';
import { getKey, resolveKeyOrAddress } from '../../../home/index.ts';
import { type BroadcastOutcome, type SendOptions, sendMessages } from '../../common/index.ts';

export const CHANNELS_TX_COMMANDS = [
  'open',
  'redeem',
  'close',
  'propose-contract',
  'accept-contract',
  'end-contract',
  'claim-misses',
  'dispute-misses',
  'settle-contract',
] as const;
export type ChannelsTxCommand = (typeof CHANNELS_TX_COMMANDS)[number];

/** Options of the commands (commander's camelCase of each `--flag`), text as typed. */
export interface ChannelsTxFlags {
  readonly duration?: string | undefined;
  readonly price?: string | undefined;
  readonly deposit?: string | undefined;
  readonly penalty?: string | undefined;
  readonly disputeWindow?: string | undefined;
  readonly rps?: string | undefined;
  readonly gpus?: string | undefined;
}

const refuse = (detail: string): never => {
  throw ainError(ErrInvalidRequest, detail);
};

function uint(text: string | undefined, name: string, fallback?: bigint): bigint {
  if (text === undefined) return fallback ?? refuse(`${name} is required`);
  if (!/^(0|[1-9][0-9]{0,29})$/.test(text)) refuse(`${name} "${text}" must be a non-negative integer`);
  return BigInt(text);
}

/** Text or `@file` holding JSON. */
function jsonArg(text: string, name: string): unknown {
  if (text.startsWith('@') && !existsSync(text.slice(1))) refuse(`${name} file ${text.slice(1)} does not exist`);
  const source = text.startsWith('@') ? readFileSync(text.slice(1), 'utf8') : text;
  try {
    return JSON.parse(source);
  } catch {
    return refuse(`${name} must be JSON (or @FILE holding JSON)`);
  }
}

const field = (record: Record<string, unknown>, key: string, name: string): string =>
  typeof record[key] === 'string' || typeof record[key] === 'number' ? String(record[key]) : refuse(`${name}.${key} is missing`);
const bytes = (text: string, encoding: 'hex' | 'base64'): Uint8Array => new Uint8Array(Buffer.from(text, encoding));

/** `[{...}, ...]` or one `{...}`. */
function records(value: unknown, name: string): Array<Record<string, unknown>> {
  const list = Array.isArray(value) ? value : [value];
  return list.map((item, i) =>
    typeof item === 'object' && item !== null ? (item as Record<string, unknown>) : refuse(`${name}[${i}] must be a JSON object`),
  );
}

/** The messages of one command, signed by `signer` (whose key is `pubkey`). */
export function channelsTxMessages(
  command: ChannelsTxCommand,
  args: readonly string[],
  flags: ChannelsTxFlags,
  home: string,
  signer: string,
  pubkey: Uint8Array,
): EncodeObject[] {
  const [first = '', second = ''] = args;
  switch (command) {
    case 'open':
      return [
        channelsMsg.openChannel(signer, {
          executor: resolveKeyOrAddress(home, first, 'EXECUTOR'),
          deposit: uint(second, 'DEPOSIT').toString(),
          durationSeconds: uint(flags.duration, '--duration', 3600n),
          payerPubkey: pubkey,
        }),
      ];
    case 'redeem':
      return [
        channelsMsg.redeem(signer, {
          vouchers: args.flatMap((arg) =>
            records(jsonArg(arg, 'VOUCHER'), 'VOUCHER').map((v) => ({
              channelId: uint(field(v, 'channel_id', 'voucher'), 'voucher.channel_id'),
              amount: field(v, 'amount', 'voucher'),
              nonce: uint(field(v, 'nonce', 'voucher'), 'voucher.nonce'),
              signature: bytes(field(v, 'signature', 'voucher'), 'base64'),
            })),
          ),
        }),
      ];
    case 'close':
      return [channelsMsg.closeChannel(signer, { channelId: uint(first, 'CHANNEL_ID') })];
    case 'propose-contract':
      return [
        channelsMsg.proposeContract(signer, {
          clientPubkey: pubkey,
          executor: resolveKeyOrAddress(home, first, 'EXECUTOR'),
          requestsPerSecond: Number(uint(flags.rps, '--rps', 1n)),
          gpus: Number(uint(flags.gpus, '--gpus', 0n)),
          price: uint(flags.price, '--price').toString(),
          deposit: uint(flags.deposit, '--deposit').toString(),
          penaltyPerMiss: uint(flags.penalty, '--penalty').toString(),
          durationSeconds: uint(flags.duration, '--duration', 3600n),
          disputeSeconds: uint(flags.disputeWindow, '--dispute-window', 600n),
        }),
      ];
    case 'accept-contract':
      return [channelsMsg.acceptContract(signer, { contractId: uint(first, 'CONTRACT_ID'), executorPubkey: pubkey })];
    case 'end-contract':
      return [channelsMsg.endContract(signer, { contractId: uint(first, 'CONTRACT_ID') })];
    case 'settle-contract':
      return [channelsMsg.settleContract(signer, { contractId: uint(first, 'CONTRACT_ID') })];
    case 'claim-misses':
      return [
        channelsMsg.claimMisses(signer, {
          contractId: uint(first, 'CONTRACT_ID'),
          requests: records(jsonArg(second, 'REQUESTS'), 'REQUESTS').map((r) => ({
            seq: uint(field(r, 'seq', 'request'), 'request.seq'),
            deadline: uint(field(r, 'deadline', 'request'), 'request.deadline'),
            bodyHash: bytes(field(r, 'body_hash', 'request'), 'hex'),
            signature: bytes(field(r, 'signature', 'request'), 'base64'),
          })),
        }),
      ];
    case 'dispute-misses':
      return [
        channelsMsg.disputeMisses(signer, {
          contractId: uint(first, 'CONTRACT_ID'),
          receipts: records(jsonArg(second, 'RECEIPTS'), 'RECEIPTS').map((r) => ({
            seq: uint(field(r, 'seq', 'receipt'), 'receipt.seq'),
            answeredAt: uint(field(r, 'answered_at', 'receipt'), 'receipt.answered_at'),
            signature: bytes(field(r, 'signature', 'receipt'), 'base64'),
          })),
        }),
      ];
  }
}

/** Builds the command's messages, then signs and sends them with the standard tx flags. */
export function sendChannelsTx(
  options: SendOptions,
  command: ChannelsTxCommand,
  args: readonly string[],
  flags: ChannelsTxFlags,
): Promise<BroadcastOutcome> {
  const key = getKey(options.home, options.from, options.keyring);
  const messages = channelsTxMessages(command, args, flags, options.home, key.address, bytes(key.pubkey, 'base64'));
  return sendMessages(options, () => messages);
}
