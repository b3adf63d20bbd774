import { describe, expect, it } from 'vitest';
import * as client from './index.ts';

describe('client/index.ts', () => {
  it('exports exactly this API (an API change shows up here in review)', () => {
    expect(Object.keys(client).sort()).toMatchInlineSnapshot(`
      [
        "AinError",
        "DEFAULT_GAS_ADJUSTMENT",
        "DEFAULT_GAS_PRICE",
        "JOBS_QUERY_PATHS",
        "JOBS_TYPE_URLS",
        "QueryError",
        "SALT_PATTERN",
        "STATE_QUERY_PATHS",
        "STATE_TYPE_URLS",
        "TRIGGERS_QUERY_PATHS",
        "TRIGGERS_TYPE_URLS",
        "TxError",
        "abciQueryOrThrow",
        "ainJobsTypes",
        "ainRegistry",
        "ainStateTypes",
        "ainTriggersTypes",
        "batchOp",
        "cometRpc",
        "cometRpcClient",
        "connectAin",
        "fetchAppHash",
        "jobsMsg",
        "parseJsonText",
        "queryCall",
        "queryEvalRule",
        "queryExecutors",
        "queryGet",
        "queryJob",
        "queryJobNode",
        "queryJobNodes",
        "queryJobRequest",
        "queryJobStats",
        "queryJobs",
        "queryJobsParams",
        "queryLiveRequests",
        "queryMatchRule",
        "queryPendingCalls",
        "queryProof",
        "resultCommitment",
        "stateMsg",
        "testDataCommitment",
        "toJsonText",
        "verifyStateProof",
      ]
    `);
  });
});
