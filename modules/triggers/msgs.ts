import { ainError, parseAddress } from '../../core/index.ts';
import { parseJsonText, AMOUNT_PATTERN, RUNTIMES } from '../state/index.ts';
import type { MsgRegisterExecutor, MsgSubmitResult, MsgSubmitResults } from '../../proto/gen/ain/triggers/v1/tx.ts';
import { ErrInvalidTriggerMsg } from './errors.ts';

/** Most results one MsgSubmitResults carries. */
export const MAX_RESULTS_PER_MSG = 100;

/** Longest `error` text of a failed result. */
export const MAX_ERROR_LENGTH = 1024;

/** Stateless checks of MsgRegisterExecutor: signer, 1-2 distinct known runtimes, price as uain integer text (or empty = 0). */
export function validateMsgRegisterExecutor(msg: MsgRegisterExecutor): void {
  parseAddress(msg.signer, 'signer');
  if (msg.runtimes.length === 0) throw ainError(ErrInvalidTriggerMsg, `runtimes is empty; expected some of ${RUNTIMES.join(', ')}`);
  const seen = new Set<string>();
  for (const runtime of msg.runtimes) {
    if (!(RUNTIMES as readonly string[]).includes(runtime) || seen.has(runtime))
      throw ainError(ErrInvalidTriggerMsg, `runtimes must be distinct values of ${RUNTIMES.join(', ')}; got ${JSON.stringify(runtime)}`);
    seen.add(runtime);
  }
  if (msg.price !== '' && !AMOUNT_PATTERN.test(msg.price))
    throw ainError(ErrInvalidTriggerMsg, `price ${JSON.stringify(msg.price)} is not an amount of uain (decimal integer text)`);
}

/** Stateless checks of MsgSubmitResult: signer, call_id > 0, output JSON text unless failed, error bounded. */
export function validateMsgSubmitResult(msg: MsgSubmitResult): void {
  parseAddress(msg.signer, 'signer');
  if (msg.callId === 0n) throw ainError(ErrInvalidTriggerMsg, 'call_id must be positive');
  if (!msg.failed) parseJsonText(msg.output, 'output');
  if (msg.error.length > MAX_ERROR_LENGTH) throw ainError(ErrInvalidTriggerMsg, `error is longer than ${MAX_ERROR_LENGTH} characters`);
}

/** Stateless checks of MsgSubmitResults: signer, 1-{@link MAX_RESULTS_PER_MSG} results, each as MsgSubmitResult's. */
export function validateMsgSubmitResults(msg: MsgSubmitResults): void {
  parseAddress(msg.signer, 'signer');
  if (msg.results.length === 0 || msg.results.length > MAX_RESULTS_PER_MSG)
    throw ainError(ErrInvalidTriggerMsg, `results has ${msg.results.length} entries; expected 1 to ${MAX_RESULTS_PER_MSG}`);
  msg.results.forEach((result, index) => {
    try {
      validateMsgSubmitResult({ signer: msg.signer, ...result });
    } catch (error) {
      throw ainError(ErrInvalidTriggerMsg, `results[${index}]: ${(error as Error).message}`);
    }
  });
}
