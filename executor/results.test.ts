/**
 * ResultBatcher: what it sends must pass the chain's validateBasic, whatever the programs wrote.
 */
import { describe, expect, it } from 'vitest';
import type { AinClient } from '../client/index.ts';
import { pubkeyToAddress } from '../core/index.ts';
import { validateMsgSubmitResults } from '../modules/triggers/index.ts';
import type { Call } from '../proto/gen/ain/triggers/v1/query.ts';
import { type MsgSubmitResults, MsgSubmitResultsResponse } from '../proto/gen/ain/triggers/v1/tx.ts';
import { CallLedger } from './ledger.ts';
import { ResultBatcher } from './results.ts';

/** A client that accepts every result of every tx and keeps the messages it was given. */
function recordingClient(address: string): { client: AinClient; sent: MsgSubmitResults[] } {
  const sent: MsgSubmitResults[] = [];
  const client = {
    address,
    signAndBroadcast: async (messages: { value: MsgSubmitResults }[]) => {
      const msg = messages[0]!.value;
      validateMsgSubmitResults(msg);
      sent.push(msg);
      const accepted = msg.results.map((r) => r.callId);
      return {
        msgResponses: [{ value: MsgSubmitResultsResponse.encode({ accepted, skipped: [] }).finish() }],
        events: [],
        transactionHash: 'AB',
      };
    },
  } as unknown as AinClient;
  return { client, sent };
}

const executorAddress = pubkeyToAddress(new Uint8Array(33).fill(2));
const callOf = (id: bigint): Call => ({ id }) as Call;

describe('ResultBatcher', () => {
  it("turns an output over the chain's 16 KiB into a failed result instead of sending a tx the chain refuses", async () => {
    const { client, sent } = recordingClient(executorAddress);
    const ledger = new CallLedger(undefined, () => {});
    const batcher = new ResultBatcher(client, ledger, () => {});
    const big = JSON.stringify('x'.repeat(16 * 1024));
    await Promise.all([
      batcher.submit(callOf(1n), { failed: false, output: big }),
      batcher.submit(callOf(2n), { failed: false, output: '42' }),
    ]);
    expect(sent.flatMap((m) => m.results)).toEqual([
      {
        callId: 1n,
        output: '',
        failed: true,
        error: expect.stringMatching(/^output refused: output is 16386 bytes of JSON; at most 16384/),
      },
      { callId: 2n, output: '42', failed: false, error: '' },
    ]);
    expect(ledger.outcomes.map((o) => o.kind)).toEqual(['failed', 'submitted']);
  });
});
