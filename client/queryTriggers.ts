/**
 * Reads of the triggers module (off-chain calls and executors) over CometBFT's abci_query, used by
 * the executor daemon, the CLI and tests.
 */
import type { CometClient } from '@cosmjs/tendermint-rpc';
import {
  type Call,
  type Executor,
  QueryCallRequest,
  QueryCallResponse,
  QueryCallsRequest,
  QueryCallsResponse,
  QueryExecutorsRequest,
  QueryExecutorsResponse,
} from '../proto/gen/ain/triggers/v1/query.ts';
import { abciQueryOrThrow, decodeAnswer } from './queryState.ts';

export const TRIGGERS_QUERY_PATHS = {
  call: '/ain.triggers.v1.Query/Call',
  calls: '/ain.triggers.v1.Query/Calls',
  executors: '/ain.triggers.v1.Query/Executors',
} as const;

/**
 * One call by id with the height it was read at.
 * @throws QueryError triggers/4 when there is no such call
 */
export async function queryCall(comet: CometClient, callId: bigint): Promise<{ call: Call; height: number }> {
  const response = await abciQueryOrThrow(comet, TRIGGERS_QUERY_PATHS.call, QueryCallRequest.encode({ callId }).finish());
  return { call: decodeAnswer(QueryCallResponse.decode, response.value, TRIGGERS_QUERY_PATHS.call).call!, height: response.height ?? 0 };
}

/** Pending calls, earliest deadline first (the chain lists at most 100), with the height read. */
export async function queryPendingCalls(comet: CometClient, limit = 100): Promise<{ calls: Call[]; height: number }> {
  const response = await abciQueryOrThrow(
    comet,
    TRIGGERS_QUERY_PATHS.calls,
    QueryCallsRequest.encode({ limit, pagination: undefined }).finish(),
  );
  return { calls: decodeAnswer(QueryCallsResponse.decode, response.value, TRIGGERS_QUERY_PATHS.calls).calls, height: response.height ?? 0 };
}

/** Registered executors in address order (the chain lists at most 1,000). */
export async function queryExecutors(comet: CometClient, limit = 1000): Promise<Executor[]> {
  const response = await abciQueryOrThrow(
    comet,
    TRIGGERS_QUERY_PATHS.executors,
    QueryExecutorsRequest.encode({ limit, pagination: undefined }).finish(),
  );
  return decodeAnswer(QueryExecutorsResponse.decode, response.value, TRIGGERS_QUERY_PATHS.executors).executors;
}
