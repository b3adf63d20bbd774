import { decodeQueryRequest, ainError, pageFrom } from '../../core/index.ts';
import type { QueryRegistrar } from '../../core/index.ts';
import {
  QueryCallRequest,
  QueryCallResponse,
  QueryCallsRequest,
  QueryCallsResponse,
  QueryExecutorsRequest,
  QueryExecutorsResponse,
} from '../../proto/gen/ain/triggers/v1/query.ts';
import { ErrCallNotFound } from './errors.ts';
import type { TriggersKeeper } from './keeper.ts';

/**
 * `ain.triggers.v1.Query`: Call, Calls (pending, earliest deadline first), Executors (by address).
 * The lists page as every list query does (`pagination`); a request without it gets the first
 * `limit` (default 100), as before pagination.
 */
export function registerTriggersQueries(router: QueryRegistrar, keeper: TriggersKeeper): void {
  router.register('/ain.triggers.v1.Query/Call', (state, data) => {
    const { callId } = decodeQueryRequest(QueryCallRequest, data);
    const call = keeper.getCall(state, callId);
    if (!call) throw ainError(ErrCallNotFound, `no call ${callId}`);
    return QueryCallResponse.encode({ call }).finish();
  });
  router.register('/ain.triggers.v1.Query/Calls', (state, data) => {
    const { limit, pagination } = decodeQueryRequest(QueryCallsRequest, data);
    const page = keeper.pendingCallsPage(state, pagination ?? pageFrom('', limit));
    return QueryCallsResponse.encode({ calls: page.items, pagination: page.pagination }).finish();
  });
  router.register('/ain.triggers.v1.Query/Executors', (state, data) => {
    const { limit, pagination } = decodeQueryRequest(QueryExecutorsRequest, data);
    // Before pagination a request without a limit got 100 executors: so it does still.
    const page = keeper.executorsPage(state, pagination ?? pageFrom('', limit || 100));
    return QueryExecutorsResponse.encode({ executors: page.items, pagination: page.pagination }).finish();
  });
}
