/** Errors of the compute module (codespace `compute`). Append-only: codes are never renumbered or reused. */
import { registerError } from '../../core/index.ts';

export const COMPUTE = 'compute';

export const ErrInvalidParams = registerError(COMPUTE, 2, 'invalid compute params');
