/**
 * Stateless checks (`validateBasic`) of the channels messages: every refusal names the field.
 * Checks that need state (the channel, its payer, budget and what was redeemed) are the keeper's.
 */
import { ainError, parseAddress, pubkeyToAddress } from '../../core/index.ts';
import type { MsgCloseChannel, MsgOpenChannel, MsgRedeem } from '../../proto/gen/ain/channels/v1/tx.ts';
import { ErrInvalidChannelMsg } from './errors.ts';

/** Most vouchers one MsgRedeem carries. */
export const MAX_VOUCHERS_PER_REDEEM = 100;
/** The longest a channel may stay open before its payer may close it (10 years). */
export const MAX_CHANNEL_SECONDS = 10n * 365n * 86_400n;
/** Amounts stay far below 2^128 (30 decimal digits). */
const AMOUNT_PATTERN = /^[1-9][0-9]{0,29}$/;

const invalid = (detail: string, field: string): never => {
  throw ainError(ErrInvalidChannelMsg, detail, { field });
};

function checkAmount(text: string, field: string): void {
  if (!AMOUNT_PATTERN.test(text))
    invalid(`${field} ${JSON.stringify(text.slice(0, 40))} must be a positive amount of uain (decimal integer text)`, field);
}

export function validateMsgOpenChannel(msg: MsgOpenChannel): void {
  parseAddress(msg.signer, 'signer');
  parseAddress(msg.executor, 'executor');
  if (msg.executor === msg.signer) invalid('executor must not be the payer (signer)', 'executor');
  checkAmount(msg.deposit, 'deposit');
  if (msg.durationSeconds < 1n || msg.durationSeconds > MAX_CHANNEL_SECONDS)
    invalid(`duration_seconds ${msg.durationSeconds} must be from 1 to ${MAX_CHANNEL_SECONDS}`, 'duration_seconds');
  const key = msg.payerPubkey;
  if (key.length !== 33 || (key[0] !== 2 && key[0] !== 3))
    invalid('payer_pubkey must be a 33-byte compressed secp256k1 public key', 'payer_pubkey');
  if (pubkeyToAddress(key) !== msg.signer)
    invalid(`payer_pubkey is the key of ${pubkeyToAddress(key)}, not of the signer ${msg.signer}`, 'payer_pubkey');
}

export function validateMsgRedeem(msg: MsgRedeem): void {
  parseAddress(msg.signer, 'signer');
  if (msg.vouchers.length === 0 || msg.vouchers.length > MAX_VOUCHERS_PER_REDEEM)
    invalid(`vouchers has ${msg.vouchers.length} entries; from 1 to ${MAX_VOUCHERS_PER_REDEEM}`, 'vouchers');
  const seen = new Set<bigint>();
  msg.vouchers.forEach((voucher, i) => {
    const field = `vouchers[${i}]`;
    if (voucher.channelId < 1n) invalid(`${field}.channel_id must be a channel id (from 1)`, `${field}.channel_id`);
    if (seen.has(voucher.channelId))
      invalid(
        `${field}.channel_id ${voucher.channelId} is listed twice; redeem only the latest voucher of a channel`,
        `${field}.channel_id`,
      );
    seen.add(voucher.channelId);
    checkAmount(voucher.amount, `${field}.amount`);
    if (voucher.nonce < 1n) invalid(`${field}.nonce must be from 1`, `${field}.nonce`);
    if (voucher.signature.length !== 64) invalid(`${field}.signature must be 64 bytes (compact secp256k1)`, `${field}.signature`);
  });
}

export function validateMsgCloseChannel(msg: MsgCloseChannel): void {
  parseAddress(msg.signer, 'signer');
  if (msg.channelId < 1n) invalid('channel_id must be a channel id (from 1)', 'channel_id');
}
