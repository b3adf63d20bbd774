/** `aind query gov ...`: the `cosmos.gov.v1` queries, printed as the SDK's CLI prints them. */
import { QueryClient } from '@cosmjs/stargate';
import { ProposalStatus, proposalStatusFromJSON } from 'cosmjs-types/cosmos/gov/v1/gov';
import * as v1 from 'cosmjs-types/cosmos/gov/v1/query';
import { ainError, ErrInvalidRequest, type JsonCodec, type JsonValue, parseAddress, toProtoJson } from '../../../core/index.ts';
import { govGatewayJson, legacyDecsForGateway } from '../../../modules/gov/index.ts';
import { connectCometClient, proposalMessageTypes } from '../../common/index.ts';

export const GOV_QUERIES = ['proposal', 'proposals', 'votes', 'vote', 'deposits', 'tally', 'params', 'constitution'] as const;

/** `--status` of `query gov proposals`. */
export const PROPOSAL_STATUSES = ['deposit_period', 'voting_period', 'passed', 'rejected', 'failed'] as const;

export interface GovQueryFlags {
  readonly status?: string | undefined;
  readonly voter?: string | undefined;
  readonly depositor?: string | undefined;
}

function proposalId(text: string | undefined): bigint {
  if (text === undefined || !/^[0-9]{1,20}$/.test(text) || BigInt(text) === 0n)
    throw ainError(ErrInvalidRequest, `PROPOSAL_ID "${text ?? ''}" must be a positive integer`);
  return BigInt(text);
}

function status(text: string | undefined): ProposalStatus {
  if (text === undefined || text === '') return ProposalStatus.PROPOSAL_STATUS_UNSPECIFIED;
  if (!(PROPOSAL_STATUSES as readonly string[]).includes(text))
    throw ainError(ErrInvalidRequest, `--status "${text}" must be one of ${PROPOSAL_STATUSES.join(', ')}`);
  return proposalStatusFromJSON(`PROPOSAL_STATUS_${text.toUpperCase()}`);
}

/**
 * A gov query's answer as simd prints it: proposals' messages unpacked (`{"@type", ...fields}`, not
 * base64), durations as "172800s", LegacyDecs as "0.010000000000000000".
 * @example govAnswerJson(v1.QueryProposalResponse, v1.QueryProposalResponse.decode(bytes))
 */
export function govAnswerJson<T>(codec: JsonCodec<T>, decoded: T): JsonValue {
  return legacyDecsForGateway(govGatewayJson(toProtoJson(codec, decoded, proposalMessageTypes(decoded))));
}

/**
 * One gov query against `node`: `proposal ID`, `proposals [--status --voter --depositor]`, `votes ID`,
 * `vote ID VOTER`, `deposits ID`, `tally ID`, `params`, `constitution`.
 * @example await queryGov('tcp://127.0.0.1:26657', 'tally', ['1'], {})
 */
export async function queryGov(node: string, what: string, args: readonly string[], flags: GovQueryFlags): Promise<JsonValue> {
  const { comet } = await connectCometClient(node);
  const client = new QueryClient(comet);
  const ask = async <Req, Res>(
    method: string,
    request: { encode(m: Req): { finish(): Uint8Array } },
    message: Req,
    response: JsonCodec<Res>,
  ) => {
    const answer = await client.queryAbci(`/cosmos.gov.v1.Query/${method}`, request.encode(message).finish());
    return govAnswerJson(response, response.decode(answer.value));
  };
  try {
    switch (what) {
      case 'proposal':
        return await ask('Proposal', v1.QueryProposalRequest, { proposalId: proposalId(args[0]) }, v1.QueryProposalResponse);
      case 'proposals': {
        if (flags.voter) parseAddress(flags.voter, '--voter');
        if (flags.depositor) parseAddress(flags.depositor, '--depositor');
        const request = { proposalStatus: status(flags.status), voter: flags.voter ?? '', depositor: flags.depositor ?? '' };
        return await ask('Proposals', v1.QueryProposalsRequest, request, v1.QueryProposalsResponse);
      }
      case 'votes':
        return await ask('Votes', v1.QueryVotesRequest, { proposalId: proposalId(args[0]) }, v1.QueryVotesResponse);
      case 'vote':
        parseAddress(args[1] ?? '', 'VOTER');
        return await ask('Vote', v1.QueryVoteRequest, { proposalId: proposalId(args[0]), voter: args[1]! }, v1.QueryVoteResponse);
      case 'deposits':
        return await ask('Deposits', v1.QueryDepositsRequest, { proposalId: proposalId(args[0]) }, v1.QueryDepositsResponse);
      case 'tally':
        return await ask('TallyResult', v1.QueryTallyResultRequest, { proposalId: proposalId(args[0]) }, v1.QueryTallyResultResponse);
      case 'params':
        return await ask('Params', v1.QueryParamsRequest, { paramsType: '' }, v1.QueryParamsResponse);
      case 'constitution':
        return await ask('Constitution', v1.QueryConstitutionRequest, {}, v1.QueryConstitutionResponse);
      default:
        throw ainError(ErrInvalidRequest, `unknown gov query ${what}; expected one of ${GOV_QUERIES.join(', ')}`);
    }
  } finally {
    comet.disconnect();
  }
}
