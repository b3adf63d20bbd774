/**
 * Batching results (`ResultBatcher`): each call's result is queued and sent in `MsgSubmitResults` of
 * up to the chain's bound (`MAX_RESULTS_PER_MSG`), one tx in flight at a time (one account sequence),
 * so an executor sends about one tx per block however many calls it answers. The chain's answer settles
 * each call in the `CallLedger` (accepted: submitted or failed; not counted: skipped with the reason of
 * its `EventResultSkipped`); a tx that fails as a whole counts one attempt per call, which is then
 * retried on the next poll, at most `MAX_ATTEMPTS` times.
 */
import type { AinClient } from '../client/index.ts';
import { TRIGGERS_TYPE_URLS } from '../client/index.ts';
import { parseJsonText } from '../modules/state/index.ts';
import { MAX_ERROR_LENGTH, MAX_RESULTS_PER_MSG } from '../modules/triggers/index.ts';
import type { Call } from '../proto/gen/ain/triggers/v1/query.ts';
import { type CallResult, type MsgSubmitResults, MsgSubmitResultsResponse } from '../proto/gen/ain/triggers/v1/tx.ts';
import { describeError as describe } from './errors.ts';
import { type CallLedger, MAX_ATTEMPTS } from './ledger.ts';

const SKIPPED_EVENT = 'ain.triggers.v1.EventResultSkipped';
/** Most results in one MsgSubmitResults (the chain's bound). */
const MAX_RESULTS_PER_TX = MAX_RESULTS_PER_MSG;

/** A call's result as the runner has it: output (JSON text) or an error. */
export interface RunResult {
  readonly failed: boolean;
  readonly output?: string;
  readonly error?: string;
}

/**
 * The queue of results waiting for the next MsgSubmitResults tx.
 * @example
 * const results = new ResultBatcher(client, ledger, log);
 * await results.submit(call, { failed: false, output: '42' }); // settled in the ledger
 */
export class ResultBatcher {
  private readonly address: string;
  /** Results waiting for the next MsgSubmitResults tx. */
  private readonly queue: Array<{ call: Call; result: CallResult; settled: () => void }> = [];
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly client: AinClient,
    private readonly ledger: CallLedger,
    private readonly log: (line: string) => void,
  ) {
    this.address = client.address ?? '';
  }

  /**
   * Queues a result for the next batch and resolves once the batch's tx is settled. One tx at a time
   * (one account sequence): results that arrive while a tx is in flight go into the next one, so an
   * executor sends about one tx per block however many calls it answers.
   */
  submit(call: Call, result: RunResult): Promise<void> {
    if (this.ledger.isFinished(call.id)) return Promise.resolve();
    return new Promise<void>((resolve) => {
      this.queue.push({ call, result: chainResult(call.id, result), settled: resolve });
      if (!this.flushing) this.flushing = this.flush().finally(() => (this.flushing = undefined));
    });
  }

  /** Resolves once no result tx is in flight (now, if none is). */
  async idle(): Promise<void> {
    await this.flushing;
  }

  private async flush(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, MAX_RESULTS_PER_TX);
      const msg: MsgSubmitResults = { signer: this.address, results: batch.map((item) => item.result) };
      try {
        const response = await this.client.signAndBroadcast([{ typeUrl: TRIGGERS_TYPE_URLS.submitResults, value: msg }]);
        const answer = MsgSubmitResultsResponse.decode(response.msgResponses[0]?.value ?? new Uint8Array());
        const reasons = skipReasons(response.events);
        const accepted = new Set(answer.accepted);
        for (const { call, result, settled } of batch) {
          if (accepted.has(call.id)) {
            accepted.delete(call.id);
            this.ledger.finish(
              call.id,
              result.failed ? 'failed' : 'submitted',
              result.failed ? result.error : result.output,
              response.transactionHash,
            );
          } else {
            this.ledger.finish(
              call.id,
              'skipped',
              `result not counted: ${reasons.get(call.id) ?? 'skipped by the chain'}`,
              response.transactionHash,
            );
          }
          settled();
        }
      } catch (error) {
        // The whole tx failed (broadcast, sequence, not registered): each call is retried on the next
        // poll, at most MAX_ATTEMPTS times.
        for (const { call, settled } of batch) {
          const attempts = this.ledger.attempt(call.id);
          if (attempts >= MAX_ATTEMPTS) this.ledger.finish(call.id, 'skipped', `giving up: ${describe(error)}`);
          else this.log(`call ${call.id}: result tx failed (${describe(error)}); retried on the next poll`);
          settled();
        }
      }
    }
  }
}

/**
 * A run's result as MsgSubmitResults carries it, within what the chain's validateBasic takes: the error
 * cut to {@link MAX_ERROR_LENGTH} characters, and an output the chain would refuse (not JSON, over its
 * 16 KiB) turned into a failed result naming why, so one program's output cannot sink the whole tx
 * and with it the other calls of its batch.
 * @example chainResult(7n, { failed: false, output: 'x'.repeat(20_000) }).failed // true
 */
export function chainResult(callId: bigint, result: RunResult): CallResult {
  const output = result.output ?? '';
  if (!result.failed) {
    try {
      parseJsonText(output, 'output');
    } catch (error) {
      return { callId, output: '', failed: true, error: `output refused: ${describe(error)}`.slice(0, MAX_ERROR_LENGTH) };
    }
  }
  return { callId, output, failed: result.failed, error: (result.error ?? '').slice(0, MAX_ERROR_LENGTH) };
}

/** The reason of each EventResultSkipped in a tx's events, by call id. */
function skipReasons(events: readonly { type: string; attributes: readonly { key: string; value: string }[] }[]): Map<bigint, string> {
  const reasons = new Map<bigint, string>();
  for (const event of events) {
    if (event.type !== SKIPPED_EVENT) continue;
    const attrs = new Map(event.attributes.map((a) => [a.key, a.value]));
    const id = attrs.get('call_id');
    if (id && /^\d+$/.test(id)) reasons.set(BigInt(id), attrs.get('reason') ?? '');
  }
  return reasons;
}
