import { ainError, MAX_RUNTIME_PACKAGES, normalizePackageName, parseAddress } from '../../core/index.ts';
import { AMOUNT_PATTERN, parseJsonText, RUNTIME_NAME_PATTERN, RUNTIMES } from '../state/index.ts';
import type { MsgRegisterExecutor, MsgSubmitResult, MsgSubmitResults } from '../../proto/gen/ain/triggers/v1/tx.ts';
import { ErrInvalidTriggerMsg } from './errors.ts';

/** Most results one MsgSubmitResults carries. */
export const MAX_RESULTS_PER_MSG = 100;

/** Longest `error` text of a failed result. */
export const MAX_ERROR_LENGTH = 1024;

/** Most runtimes one executor registers. */
export const MAX_EXECUTOR_RUNTIMES = 16;
const RUNTIME_KINDS = ['python', 'node'];
/** A registered package's name and version (executors drop probed packages that do not fit). */
export const PACKAGE_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,98}[A-Za-z0-9])?$/;
export const PACKAGE_VERSION = /^[A-Za-z0-9.+!_-]{1,64}$/;

/**
 * Stateless checks of MsgRegisterExecutor: signer; 1 to 16 distinct runtime names (`python3`, `node`,
 * or an operator's, e.g. `torch`); at most one `runtime_info` per listed runtime, each with a known
 * kind, a version and at most 1024 distinct packages; price as uain integer text (or empty = 0).
 */
export function validateMsgRegisterExecutor(msg: MsgRegisterExecutor): void {
  const invalid = (detail: string): never => {
    throw ainError(ErrInvalidTriggerMsg, detail);
  };
  parseAddress(msg.signer, 'signer');
  if (msg.runtimes.length === 0 || msg.runtimes.length > MAX_EXECUTOR_RUNTIMES)
    invalid(`runtimes has ${msg.runtimes.length} entries; expected 1 to ${MAX_EXECUTOR_RUNTIMES} (e.g. ${RUNTIMES.join(', ')})`);
  const seen = new Set<string>();
  for (const runtime of msg.runtimes) {
    if (!RUNTIME_NAME_PATTERN.test(runtime) || seen.has(runtime))
      invalid(
        `runtimes must be distinct names of lower-case letters, digits, "-" and "_" (e.g. ${RUNTIMES.join(', ')}, torch); got ${JSON.stringify(runtime)}`,
      );
    seen.add(runtime);
  }
  const described = new Set<string>();
  msg.runtimeInfo.forEach((info, i) => {
    const field = `runtime_info[${i}]`;
    if (!seen.has(info.name)) invalid(`${field}.name ${JSON.stringify(info.name)} is not one of runtimes`);
    if (described.has(info.name)) invalid(`${field} describes ${info.name} twice`);
    described.add(info.name);
    if (!RUNTIME_KINDS.includes(info.kind))
      invalid(`${field}.kind must be ${RUNTIME_KINDS.join(' or ')}; got ${JSON.stringify(info.kind)}`);
    if (!PACKAGE_VERSION.test(info.version)) invalid(`${field}.version must be 1 to 64 characters of a version, e.g. "3.11.2"`);
    if (info.packages.length > MAX_RUNTIME_PACKAGES)
      invalid(`${field}.packages has ${info.packages.length}; at most ${MAX_RUNTIME_PACKAGES}`);
    const names = new Set<string>();
    for (const p of info.packages) {
      if (!PACKAGE_NAME.test(p.name) || !PACKAGE_VERSION.test(p.version))
        invalid(`${field}.packages has ${JSON.stringify(`${p.name}==${p.version}`)}; expected a package name and a version`);
      const name = normalizePackageName(p.name);
      if (names.has(name)) invalid(`${field}.packages lists ${name} twice`);
      names.add(name);
    }
  });
  if (msg.price !== '' && !AMOUNT_PATTERN.test(msg.price))
    invalid(`price ${JSON.stringify(msg.price)} is not an amount of uain (decimal integer text)`);
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
