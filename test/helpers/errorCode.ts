import { AinError } from '../../core/index.ts';

/**
 * `codespace/code` of the AinError `run` throws, or `ok` when it throws nothing; any other error is
 * rethrown, so a bug is not mistaken for a refusal.
 * @example expect(codeOf(() => unfreeze(ctx, msg))).toBe('shards/4')
 */
export function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof AinError) return `${error.codespace}/${error.code}`;
    throw error;
  }
  return 'ok';
}
