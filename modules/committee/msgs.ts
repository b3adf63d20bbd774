/**
 * Stateless checks of the committee module's messages. Each refusal names its field. What a proposal
 * may carry is decided here too (`allowedMessage`): the committee account spends from its fund
 * (`cosmos.bank.v1beta1.MsgSend` from it) or submits a governance proposal whose only messages are
 * `ain.compute.v1.MsgUpdateParams` (`cosmos.gov.v1.MsgSubmitProposal` with it as proposer).
 */
import { MsgSend } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { MsgSubmitProposal } from 'cosmjs-types/cosmos/gov/v1/tx';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import { ainError, type Coin, moduleAddress, parseAddress, parseCoins, requireGovAuthority } from '../../core/index.ts';
import type { MsgCommitteePropose, MsgCommitteeVote, MsgFundCommittee, MsgUpdateCommittee } from '../../proto/gen/ain/committee/v1/tx.ts';
import { ErrInvalidCommitteeMsg, ErrMessageNotAllowed } from './errors.ts';
import { MAX_MEMBERS, MAX_PROPOSAL_MESSAGES, MAX_SUMMARY_LENGTH } from './keys.ts';

export const COMMITTEE_MODULE = 'committee';
/** The committee's account: holds the developer fund, and proposals' messages run as it. */
export const committeeAddress = (): string => moduleAddress(COMMITTEE_MODULE);

export const MSG_SEND_TYPE_URL = '/cosmos.bank.v1beta1.MsgSend';
export const GOV_SUBMIT_TYPE_URL = '/cosmos.gov.v1.MsgSubmitProposal';
export const COMPUTE_PARAMS_TYPE_URL = '/ain.compute.v1.MsgUpdateParams';

export interface Member {
  readonly address: string;
  readonly weight: bigint;
}

export interface CommitteeSet {
  readonly members: readonly Member[];
  readonly threshold: bigint;
}

const refuse = (field: string, detail: string): never => {
  throw ainError(ErrInvalidCommitteeMsg, `${field} ${detail}`, { field });
};

/**
 * Members and threshold: 1 to 100 members, distinct addresses, positive weights, a threshold in
 * [1, total weight]. Returns them sorted by address.
 * @throws AinError committee/2 naming the field; sdk/7 a bad address
 */
export function committeeSetOf(members: ReadonlyArray<{ address: string; weight: bigint }>, threshold: bigint, prefix = ''): CommitteeSet {
  if (members.length === 0 || members.length > MAX_MEMBERS)
    refuse(`${prefix}members`, `has ${members.length} entries; expected 1 to ${MAX_MEMBERS}`);
  const seen = new Set<string>();
  let total = 0n;
  members.forEach((m, i) => {
    parseAddress(m.address, `${prefix}members[${i}].address`);
    if (seen.has(m.address)) refuse(`${prefix}members[${i}].address`, `${m.address} is listed twice`);
    seen.add(m.address);
    if (m.weight <= 0n || m.weight > 1_000_000_000n) refuse(`${prefix}members[${i}].weight`, `${m.weight} must be in [1, 1000000000]`);
    total += m.weight;
  });
  if (threshold <= 0n || threshold > total) refuse(`${prefix}threshold`, `${threshold} must be in [1, ${total}] (the total weight)`);
  const sorted = [...members].map((m) => ({ address: m.address, weight: m.weight })).sort((a, b) => (a.address < b.address ? -1 : 1));
  return { members: sorted, threshold };
}

export function validateUpdateCommittee(msg: MsgUpdateCommittee): CommitteeSet {
  requireGovAuthority(msg.authority);
  return committeeSetOf(msg.members, msg.threshold);
}

export function validateFund(msg: MsgFundCommittee): Coin[] {
  parseAddress(msg.sender, 'sender');
  if (msg.amount.trim() === '') refuse('amount', 'is empty; expected coins, e.g. 1000000uain');
  return parseCoins(msg.amount, 'amount');
}

function decodeAs<T>(codec: { decode(bytes: Uint8Array): T }, any: Any, field: string): T {
  try {
    return codec.decode(any.value);
  } catch (cause) {
    return refuse(field, `(${any.typeUrl}) does not decode: ${(cause as Error).message}`);
  }
}

/**
 * Whether the committee may run `any`: a MsgSend from the committee account, or a gov
 * MsgSubmitProposal with the committee account as proposer carrying only compute MsgUpdateParams.
 * @throws AinError committee/4 naming the field and the type
 */
export function allowedMessage(any: Any, field: string, committee = committeeAddress()): void {
  if (any.typeUrl === MSG_SEND_TYPE_URL) {
    const send = decodeAs(MsgSend, any, field);
    if (send.fromAddress !== committee)
      throw ainError(ErrMessageNotAllowed, `${field}.from_address must be the committee account ${committee}, got ${send.fromAddress}`, {
        field: `${field}.from_address`,
      });
    return;
  }
  if (any.typeUrl === GOV_SUBMIT_TYPE_URL) {
    const submit = decodeAs(MsgSubmitProposal, any, field);
    if (submit.proposer !== committee)
      throw ainError(ErrMessageNotAllowed, `${field}.proposer must be the committee account ${committee}, got ${submit.proposer}`, {
        field: `${field}.proposer`,
      });
    if (submit.messages.length === 0)
      throw ainError(ErrMessageNotAllowed, `${field}.messages is empty; expected ${COMPUTE_PARAMS_TYPE_URL}`, {
        field: `${field}.messages`,
      });
    submit.messages.forEach((inner, j) => {
      if (inner.typeUrl !== COMPUTE_PARAMS_TYPE_URL)
        throw ainError(
          ErrMessageNotAllowed,
          `${field}.messages[${j}] is ${inner.typeUrl}; a committee's gov proposal carries only ${COMPUTE_PARAMS_TYPE_URL}`,
          { field: `${field}.messages[${j}]` },
        );
    });
    return;
  }
  throw ainError(
    ErrMessageNotAllowed,
    `${field} is ${any.typeUrl}; the committee may run only ${MSG_SEND_TYPE_URL} (from its fund) and ${GOV_SUBMIT_TYPE_URL} (of ${COMPUTE_PARAMS_TYPE_URL})`,
    { field },
  );
}

export function validatePropose(msg: MsgCommitteePropose): void {
  parseAddress(msg.proposer, 'proposer');
  if (msg.messages.length === 0 || msg.messages.length > MAX_PROPOSAL_MESSAGES)
    refuse('messages', `has ${msg.messages.length} entries; expected 1 to ${MAX_PROPOSAL_MESSAGES}`);
  if (msg.summary.length > MAX_SUMMARY_LENGTH) refuse('summary', `is ${msg.summary.length} characters; at most ${MAX_SUMMARY_LENGTH}`);
  msg.messages.forEach((any, i) => allowedMessage(any, `messages[${i}]`));
}

export function validateVote(msg: MsgCommitteeVote): void {
  parseAddress(msg.voter, 'voter');
  if (msg.proposalId === 0n) refuse('proposal_id', 'is 0; proposal ids start at 1');
}
