/**
 * The triggers module's subtree `/triggers`:
 * - `/triggers/next_call_id`: the next call id (decimal text; missing = 1);
 * - `/triggers/calls/<id>`: a call record, canonical JSON text;
 * - `/triggers/pending/<deadline_height, 20 digits>/<id>`: `true` while the call is pending, so expiry
 *   is a range read from the front;
 * - `/triggers/executors/<address>`: an executor's registration, canonical JSON text.
 */
export const TRIGGERS_ROOT = '/triggers';
export const NEXT_CALL_ID_PATH = `${TRIGGERS_ROOT}/next_call_id`;
export const CALLS_ROOT = `${TRIGGERS_ROOT}/calls`;
export const PENDING_ROOT = `${TRIGGERS_ROOT}/pending`;
export const EXECUTORS_ROOT = `${TRIGGERS_ROOT}/executors`;

export const callPath = (id: bigint): string => `${CALLS_ROOT}/${id}`;
export const pendingPath = (deadline: bigint, id: bigint): string => `${PENDING_ROOT}/${deadline.toString().padStart(20, '0')}/${id}`;
export const executorPath = (address: string): string => `${EXECUTORS_ROOT}/${address}`;

/** Parses `/triggers/pending/<deadline>/<id>` back into its numbers. */
export function parsePendingPath(path: string): { deadline: bigint; id: bigint } {
  const [deadline, id] = path.slice(PENDING_ROOT.length + 1).split('/');
  return { deadline: BigInt(deadline!), id: BigInt(id!) };
}
