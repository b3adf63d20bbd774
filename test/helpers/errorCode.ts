import { expect } from 'vitest';
import { AinError } from '../../core/index.ts';

/**
 * `codespace/code` of the AinError `run` throws, or `ok` when it throws nothing; any other error is
 * rethrown, so a bug is not mistaken for a refusal.
 * @example expect(codeOf(() => unfreeze(ctx, msg))).toBe('shards/4')
 */
export function codeOf(run: () => unknown): string {
  const error = caught(run);
  return error === undefined ? 'ok' : `${error.codespace}/${error.code}`;
}

/**
 * `codespace/code message` of the AinError `run` throws, or `ok`: for tests that check the message too.
 * @example expect(refusalOf(() => validateMsgVote(msg))).toMatch(/^gov\/3 option/)
 */
export function refusalOf(run: () => unknown): string {
  const error = caught(run);
  return error === undefined ? 'ok' : `${error.codespace}/${error.code} ${error.message}`;
}

/**
 * The AinError `run` throws; fails the test when it throws nothing, and rethrows any other error.
 * @example expect(thrownBy(() => parseSchema(bad)).meta).toMatchObject({ field: 'inputs' })
 */
export function thrownBy(run: () => unknown): AinError {
  const error = caught(run);
  if (error === undefined) throw new Error('expected an AinError, and nothing was thrown');
  return error;
}

/**
 * The AinError `promise` rejects with; fails the test when it resolves or rejects with anything else.
 * @example expect((await rejectionOf(client.get(id))).code).toBe(4)
 */
export async function rejectionOf(promise: Promise<unknown>): Promise<AinError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AinError);
  return error as AinError;
}

function caught(run: () => unknown): AinError | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof AinError) return error;
    throw error;
  }
  return undefined;
}
