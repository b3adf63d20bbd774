/**
 * `aind tx committee ...`: the messages of the committee commands (checked here, before the node is
 * contacted), then signed, broadcast and awaited with `sendMessages`. A proposal file names what the
 * committee account runs; its own address (sender of a spend, proposer of a gov proposal) and the gov
 * authority (of a compute params message) are filled in.
 */
import { readFileSync } from 'node:fs';
import type { EncodeObject } from '@cosmjs/proto-signing';
import { MsgSend } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { MsgSubmitProposal } from 'cosmjs-types/cosmos/gov/v1/tx';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import { committeeMsg } from '../../../client/index.ts';
import { ainError, coinsToProto, ErrInvalidRequest, govAuthority, parseAddress, parseCoins } from '../../../core/index.ts';
import {
  allowedMessage,
  COMPUTE_PARAMS_TYPE_URL,
  committeeAddress,
  GOV_SUBMIT_TYPE_URL,
  MSG_SEND_TYPE_URL,
} from '../../../modules/committee/index.ts';
import { MsgUpdateParams as ComputeUpdateParams } from '../../../proto/gen/ain/compute/v1/tx.ts';
import { type BroadcastOutcome, type SendOptions, sendMessages } from '../../common/index.ts';

export const COMMITTEE_TX_COMMANDS = ['propose', 'vote', 'fund'] as const;
export type CommitteeTxCommand = (typeof COMMITTEE_TX_COMMANDS)[number];

/**
 * A committee proposal file:
 * `{"summary": "...", "messages": [{"@type": "/cosmos.bank.v1beta1.MsgSend", "to_address": "ain1...", "amount": "5000000uain"},
 *  {"@type": "/cosmos.gov.v1.MsgSubmitProposal", "deposit": "10000000uain", "title": "...", "summary": "...",
 *   "messages": [{"@type": "/ain.compute.v1.MsgUpdateParams", "params": {"epoch_blocks": "100", ...}}]}]}`
 */
export interface CommitteeProposalFile {
  readonly summary?: string;
  readonly messages?: ReadonlyArray<Record<string, unknown>>;
}

const refuse = (detail: string): never => {
  throw ainError(ErrInvalidRequest, detail);
};

const camel = (key: string) => key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
const camelKeys = (value: unknown): unknown =>
  value === null || typeof value !== 'object' || Array.isArray(value)
    ? value
    : Object.fromEntries(Object.entries(value).map(([k, v]) => [camel(k), camelKeys(v)]));

const text = (json: Record<string, unknown>, key: string, field: string, fallback?: string): string => {
  const value = json[key] ?? fallback;
  return typeof value === 'string' ? value : refuse(`${field}.${key} must be text`);
};

/** One message of a proposal file as the Any the committee account runs. @throws AinError sdk/18 naming it */
export function committeeMessage(json: Record<string, unknown>, index: number): Any {
  const field = `messages[${index}]`;
  const committee = committeeAddress();
  let any: Any;
  if (json['@type'] === MSG_SEND_TYPE_URL) {
    const toAddress = text(json, 'to_address', field);
    parseAddress(toAddress, `${field}.to_address`);
    const amount = coinsToProto(parseCoins(text(json, 'amount', field), `${field}.amount`));
    any = { typeUrl: MSG_SEND_TYPE_URL, value: MsgSend.encode({ fromAddress: committee, toAddress, amount }).finish() };
  } else if (json['@type'] === GOV_SUBMIT_TYPE_URL) {
    const inner = Array.isArray(json.messages)
      ? (json.messages as Array<Record<string, unknown>>)
      : refuse(`${field}.messages must be a list`);
    const messages = inner.map((m, j) => {
      if (m?.['@type'] !== COMPUTE_PARAMS_TYPE_URL) refuse(`${field}.messages[${j}] "@type" must be ${COMPUTE_PARAMS_TYPE_URL}`);
      const { ['@type']: _type, ...fields } = m;
      const msg = ComputeUpdateParams.fromJSON({ authority: govAuthority(), ...(camelKeys(fields) as object) });
      return { typeUrl: COMPUTE_PARAMS_TYPE_URL, value: ComputeUpdateParams.encode(msg).finish() };
    });
    const deposit = typeof json.deposit === 'string' ? coinsToProto(parseCoins(json.deposit, `${field}.deposit`)) : [];
    const submit = MsgSubmitProposal.fromPartial({
      proposer: committee,
      messages,
      initialDeposit: deposit,
      metadata: text(json, 'metadata', field, ''),
      title: text(json, 'title', field),
      summary: text(json, 'summary', field),
    });
    any = { typeUrl: GOV_SUBMIT_TYPE_URL, value: MsgSubmitProposal.encode(submit).finish() };
  } else {
    return refuse(
      `${field} "@type" ${String(json['@type'])} is not one the committee runs; expected ${MSG_SEND_TYPE_URL} or ${GOV_SUBMIT_TYPE_URL}`,
    );
  }
  allowedMessage(any, field, committee);
  return any;
}

function proposalId(value: string | undefined): bigint {
  if (value === undefined || !/^[0-9]{1,20}$/.test(value) || BigInt(value) === 0n)
    refuse(`PROPOSAL_ID "${value ?? ''}" must be a positive integer`);
  return BigInt(value!);
}

/**
 * The message of a committee tx command for `signer`.
 * @example committeeTxMessages('vote', ['3', 'yes'], 'ain1...')
 */
export function committeeTxMessages(command: CommitteeTxCommand, args: readonly string[], signer: string): EncodeObject[] {
  switch (command) {
    case 'propose': {
      const path = args[0] ?? '';
      let file: CommitteeProposalFile;
      try {
        file = JSON.parse(readFileSync(path, 'utf8')) as CommitteeProposalFile;
      } catch (cause) {
        return refuse(`proposal file ${path}: ${(cause as Error).message}`);
      }
      if (typeof file !== 'object' || file === null || !Array.isArray(file.messages))
        refuse(`proposal file ${path} must hold {"summary": "...", "messages": [...]}`);
      return [committeeMsg.propose(signer, { messages: file.messages!.map(committeeMessage), summary: file.summary ?? '' })];
    }
    case 'vote': {
      const option = args[1] ?? '';
      if (option !== 'yes' && option !== 'no') refuse(`OPTION "${option}" must be yes or no`);
      return [committeeMsg.vote(signer, { proposalId: proposalId(args[0]), yes: option === 'yes' })];
    }
    case 'fund': {
      const amount = args[0] ?? '';
      if (amount.trim() === '') refuse('AMOUNT is required, e.g. 1000000uain');
      parseCoins(amount, 'AMOUNT');
      return [committeeMsg.fund(signer, { amount })];
    }
  }
}

/**
 * A committee tx command: builds its message for the `--from` key, signs, broadcasts and waits.
 * @example await sendCommitteeTx({ home, from: 'alice', node, gas: 'auto' }, 'vote', ['1', 'yes'])
 */
export function sendCommitteeTx(options: SendOptions, command: CommitteeTxCommand, args: readonly string[]): Promise<BroadcastOutcome> {
  return sendMessages(options, (signer) => committeeTxMessages(command, args, signer));
}
