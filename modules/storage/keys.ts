/**
 * The storage module's subtree `/storage` (canonical JSON text leaves unless said otherwise):
 * - `/storage/providers/<address>`: a registered Big Storage provider;
 * - `/storage/next_reservation_id`: counter (decimal text; missing = 1);
 * - `/storage/reservations/<id>`: a reservation (terms, paid, status);
 * - `/storage/by_client/<client>/<provider>/<id>`: `true` while the reservation is active;
 * - `/storage/ends/<end, 20 digits>/<id>`: `true` while active, keyed by its end (block time), so
 *   the end of a block settles due reservations from the front;
 * - `/storage/escrow_total`: uain the module account holds for active reservations (decimal text);
 * - `/storage/access/<hash>/<owner>`: who may read the owner's copy of a blob;
 * - `/storage/keys/<hash>/<owner>/<reader>`: the blob's data key wrapped for that reader.
 * Params live at `/params/storage/<name>`, written only when genesis sets them.
 */
export const STORAGE_ROOT = '/storage';
export const PARAMS_ROOT = '/params/storage';
export const PROVIDERS_ROOT = `${STORAGE_ROOT}/providers`;
export const NEXT_RESERVATION_ID_PATH = `${STORAGE_ROOT}/next_reservation_id`;
export const ENDS_ROOT = `${STORAGE_ROOT}/ends`;
export const ESCROW_TOTAL_PATH = `${STORAGE_ROOT}/escrow_total`;

export const providerPath = (address: string): string => `${PROVIDERS_ROOT}/${address}`;
export const reservationPath = (id: bigint): string => `${STORAGE_ROOT}/reservations/${id}`;
export const byClientPath = (client: string, provider?: string): string =>
  provider === undefined ? `${STORAGE_ROOT}/by_client/${client}` : `${STORAGE_ROOT}/by_client/${client}/${provider}`;
export const byClientEntryPath = (client: string, provider: string, id: bigint): string => `${byClientPath(client, provider)}/${id}`;
export const endPath = (end: bigint, id: bigint): string => `${ENDS_ROOT}/${end.toString().padStart(20, '0')}/${id}`;
export const accessPath = (hash: string, owner: string): string => `${STORAGE_ROOT}/access/${hash}/${owner}`;
export const keysPath = (hash: string, owner: string): string => `${STORAGE_ROOT}/keys/${hash}/${owner}`;
export const keyPath = (hash: string, owner: string, reader: string): string => `${keysPath(hash, owner)}/${reader}`;
export const paramPath = (name: string): string => `${PARAMS_ROOT}/${name}`;

/** Parses `/storage/ends/<end>/<id>` back into its numbers. */
export function parseEndPath(path: string): { end: bigint; id: bigint } {
  const [end, id] = path.slice(ENDS_ROOT.length + 1).split('/');
  return { end: BigInt(end!), id: BigInt(id!) };
}
