/** `aind query committee ...`: the `ain.committee.v1` queries, printed as proto3 JSON (proposals' messages unpacked). */
import { QueryClient } from '@cosmjs/stargate';
import { ainError, ErrInvalidRequest, type JsonValue } from '../../../core/index.ts';
import * as q from '../../../proto/gen/ain/committee/v1/query.ts';
import { askJson, withCometClient } from '../../common/index.ts';

export const COMMITTEE_QUERIES = ['committee', 'proposal', 'proposals', 'fund', 'params'] as const;
export type CommitteeQuery = (typeof COMMITTEE_QUERIES)[number];

export interface CommitteeQueryFlags {
  readonly limit?: string | undefined;
  readonly pageKey?: string | undefined;
  readonly reverse?: boolean | undefined;
}

function uint(value: string | undefined, name: string): bigint {
  if (value === undefined || value === '') return 0n;
  if (!/^[0-9]{1,20}$/.test(value)) throw ainError(ErrInvalidRequest, `${name} "${value}" must be a non-negative integer`);
  return BigInt(value);
}

/**
 * One committee query against `node`: `committee`, `proposal ID`, `proposals [--limit --page-key --reverse]`, `fund`, `params`.
 * @example await queryCommittee('tcp://127.0.0.1:26657', 'proposal', ['1'], {})
 */
export function queryCommittee(
  node: string,
  what: CommitteeQuery,
  args: readonly string[],
  flags: CommitteeQueryFlags,
): Promise<JsonValue> {
  return withCometClient(node, async (comet) => {
    const client = new QueryClient(comet);
    const ask = <Req>(method: string, request: { encode(m: Req): { finish(): Uint8Array } }, message: Req, response: unknown) =>
      askJson(client, q.QueryServiceName, method, request, message, response);
    switch (what) {
      case 'committee':
        return ask('Committee', q.QueryCommitteeRequest, {}, q.QueryCommitteeResponse);
      case 'proposal': {
        const id = uint(args[0], 'PROPOSAL_ID');
        if (id === 0n) throw ainError(ErrInvalidRequest, 'PROPOSAL_ID must be a positive integer');
        return ask('Proposal', q.QueryProposalRequest, { proposalId: id }, q.QueryProposalResponse);
      }
      case 'proposals': {
        const pagination = {
          key: new Uint8Array(Buffer.from(flags.pageKey ?? '', 'base64')),
          offset: 0n,
          limit: uint(flags.limit, '--limit'),
          countTotal: false,
          reverse: flags.reverse ?? false,
        };
        return ask('Proposals', q.QueryProposalsRequest, { pagination }, q.QueryProposalsResponse);
      }
      case 'fund':
        return ask('Fund', q.QueryFundRequest, {}, q.QueryFundResponse);
      case 'params':
        return ask('Params', q.QueryParamsRequest, {}, q.QueryParamsResponse);
    }
  });
}
