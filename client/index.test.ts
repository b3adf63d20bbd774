import { describe, expect, it } from 'vitest';
import * as client from './index.ts';

describe('client/index.ts', () => {
  it('exports exactly this API (an API change shows up here in review)', () => {
    expect(Object.keys(client).sort()).toMatchInlineSnapshot(`
      [
        "AinError",
        "DEFAULT_GAS_ADJUSTMENT",
        "DEFAULT_GAS_PRICE",
        "JOBS_TYPE_URLS",
        "QueryError",
        "STATE_QUERY_PATHS",
        "STATE_TYPE_URLS",
        "TRIGGERS_TYPE_URLS",
        "TxError",
        "abciQueryOrThrow",
        "ainJobsTypes",
        "ainRegistry",
        "ainStateTypes",
        "ainTriggersTypes",
        "batchOp",
        "connectAin",
        "fetchAppHash",
        "jobsMsg",
        "parseJsonText",
        "queryEvalRule",
        "queryGet",
        "queryMatchRule",
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
