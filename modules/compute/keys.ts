/**
 * The compute module's subtree `/compute` (params at `/params/compute/<name>`): the epoch being
 * measured and the units each worker delivered in it.
 */
export const COMPUTE_ROOT = '/compute';
export const PARAMS_ROOT = '/params/compute';

/** `/compute/epoch`: the epoch record (canonical JSON): number, units so far, last epoch's units, moving average, totals. */
export const EPOCH_PATH = `${COMPUTE_ROOT}/epoch`;
/** `/compute/workers/<addr>`: units the address delivered in this epoch (decimal text); cleared at its end. */
export const WORKERS_ROOT = `${COMPUTE_ROOT}/workers`;

export const workerPath = (address: string): string => `${WORKERS_ROOT}/${address}`;
export const paramPath = (name: string): string => `${PARAMS_ROOT}/${name}`;
