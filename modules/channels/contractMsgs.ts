/**
 * Stateless checks (`validateBasic`) of the service-contract messages: every refusal names the field.
 * Checks that need state (the contract, its parties, its period and windows, signatures) are the keeper's.
 */
import { ainError, parseAddress, pubkeyToAddress } from '../../core/index.ts';
import type {
  MsgAcceptContract,
  MsgClaimMisses,
  MsgDisputeMisses,
  MsgEndContract,
  MsgProposeContract,
  MsgSettleContract,
} from '../../proto/gen/ain/channels/v1/tx.ts';
import { ErrInvalidChannelMsg } from './errors.ts';
import { MAX_CHANNEL_SECONDS } from './msgs.ts';

/** Most claims or receipts one message carries. */
export const MAX_CLAIMS_PER_MSG = 100;
/** The longest dispute window (30 days). */
export const MAX_DISPUTE_SECONDS = 30n * 86_400n;
/** Most requests per second and GPUs a contract reserves. */
export const MAX_REQUESTS_PER_SECOND = 100_000;
export const MAX_GPUS = 1024;
const AMOUNT_PATTERN = /^(0|[1-9][0-9]{0,29})$/;

const invalid = (detail: string, field: string): never => {
  throw ainError(ErrInvalidChannelMsg, detail, { field });
};

function checkAmount(text: string, field: string, positive: boolean): void {
  if (!AMOUNT_PATTERN.test(text) || (positive && text === '0'))
    invalid(
      `${field} ${JSON.stringify(text.slice(0, 40))} must be a ${positive ? 'positive' : 'non-negative'} amount of uain (decimal integer text)`,
      field,
    );
}

function checkPubkey(key: Uint8Array, signer: string, field: string): void {
  if (key.length !== 33 || (key[0] !== 2 && key[0] !== 3)) invalid(`${field} must be a 33-byte compressed secp256k1 public key`, field);
  if (pubkeyToAddress(key) !== signer) invalid(`${field} is the key of ${pubkeyToAddress(key)}, not of the signer ${signer}`, field);
}

function checkContractId(id: bigint): void {
  if (id < 1n) invalid('contract_id must be a contract id (from 1)', 'contract_id');
}

function checkCount(length: number, field: string): void {
  if (length === 0 || length > MAX_CLAIMS_PER_MSG) invalid(`${field} has ${length} entries; from 1 to ${MAX_CLAIMS_PER_MSG}`, field);
}

export function validateMsgProposeContract(msg: MsgProposeContract): void {
  parseAddress(msg.signer, 'signer');
  parseAddress(msg.executor, 'executor');
  if (msg.executor === msg.signer) invalid('executor must not be the client (signer)', 'executor');
  checkPubkey(msg.clientPubkey, msg.signer, 'client_pubkey');
  if (msg.requestsPerSecond < 1 || msg.requestsPerSecond > MAX_REQUESTS_PER_SECOND)
    invalid(`requests_per_second ${msg.requestsPerSecond} must be from 1 to ${MAX_REQUESTS_PER_SECOND}`, 'requests_per_second');
  if (msg.gpus > MAX_GPUS) invalid(`gpus ${msg.gpus} must be at most ${MAX_GPUS}`, 'gpus');
  checkAmount(msg.price, 'price', true);
  checkAmount(msg.deposit, 'deposit', true);
  checkAmount(msg.penaltyPerMiss, 'penalty_per_miss', true);
  if (msg.durationSeconds < 1n || msg.durationSeconds > MAX_CHANNEL_SECONDS)
    invalid(`duration_seconds ${msg.durationSeconds} must be from 1 to ${MAX_CHANNEL_SECONDS}`, 'duration_seconds');
  if (msg.disputeSeconds < 1n || msg.disputeSeconds > MAX_DISPUTE_SECONDS)
    invalid(`dispute_seconds ${msg.disputeSeconds} must be from 1 to ${MAX_DISPUTE_SECONDS}`, 'dispute_seconds');
}

export function validateMsgAcceptContract(msg: MsgAcceptContract): void {
  parseAddress(msg.signer, 'signer');
  checkContractId(msg.contractId);
  checkPubkey(msg.executorPubkey, msg.signer, 'executor_pubkey');
}

export function validateMsgEndContract(msg: MsgEndContract): void {
  parseAddress(msg.signer, 'signer');
  checkContractId(msg.contractId);
}

export const validateMsgSettleContract = (msg: MsgSettleContract): void => validateMsgEndContract(msg);

export function validateMsgClaimMisses(msg: MsgClaimMisses): void {
  parseAddress(msg.signer, 'signer');
  checkContractId(msg.contractId);
  checkCount(msg.requests.length, 'requests');
  msg.requests.forEach((request, i) => {
    const field = `requests[${i}]`;
    if (request.seq < 1n) invalid(`${field}.seq must be from 1`, `${field}.seq`);
    if (request.deadline < 1n) invalid(`${field}.deadline must be a unix time in seconds`, `${field}.deadline`);
    if (request.bodyHash.length !== 32) invalid(`${field}.body_hash must be 32 bytes (sha256)`, `${field}.body_hash`);
    if (request.signature.length !== 64) invalid(`${field}.signature must be 64 bytes (compact secp256k1)`, `${field}.signature`);
  });
}

export function validateMsgDisputeMisses(msg: MsgDisputeMisses): void {
  parseAddress(msg.signer, 'signer');
  checkContractId(msg.contractId);
  checkCount(msg.receipts.length, 'receipts');
  const seen = new Set<bigint>();
  msg.receipts.forEach((receipt, i) => {
    const field = `receipts[${i}]`;
    if (receipt.seq < 1n) invalid(`${field}.seq must be from 1`, `${field}.seq`);
    if (seen.has(receipt.seq)) invalid(`${field}.seq ${receipt.seq} is listed twice`, `${field}.seq`);
    seen.add(receipt.seq);
    if (receipt.signature.length !== 64) invalid(`${field}.signature must be 64 bytes (compact secp256k1)`, `${field}.signature`);
  });
}
