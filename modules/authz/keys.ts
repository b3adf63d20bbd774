/**
 * The authz module's subtree `/authz`:
 * - `/authz/grants/<granter>/<grantee>/<msg type label>`: the grant (canonical JSON, {@link GrantRecord});
 * - `/authz/by_grantee/<grantee>/<granter>/<msg type label>`: `true`, the index GranteeGrants pages;
 * - `/authz/queue/<expiry, 20 digits>/<granter>/<grantee>/<msg type label>`: `true` while a grant
 *   with an expiration exists; the end of block reads it from the front to prune expired grants.
 * A type URL starts with `/`, which a label may not hold: it is written `%2F` (and `%` as `%25`, so
 * the mapping is one to one). The expiry in a queue key is the expiration rounded up to whole seconds:
 * block times are whole seconds, so `expiry <= block time` exactly when the grant has expired.
 */
export const AUTHZ_ROOT = '/authz';
export const GRANTS_ROOT = `${AUTHZ_ROOT}/grants`;
export const BY_GRANTEE_ROOT = `${AUTHZ_ROOT}/by_grantee`;
export const QUEUE_ROOT = `${AUTHZ_ROOT}/queue`;

/** Longest message type URL a grant may name (a label holds at most 150 code units once escaped). */
export const MAX_TYPE_URL_LENGTH = 128;

export const typeUrlToLabel = (typeUrl: string): string => typeUrl.replaceAll('%', '%25').replaceAll('/', '%2F');
export const labelToTypeUrl = (label: string): string => label.replaceAll('%2F', '/').replaceAll('%25', '%');

export const pad20 = (n: bigint): string => n.toString().padStart(20, '0');

export const granterGrantsPath = (granter: string): string => `${GRANTS_ROOT}/${granter}`;
export const pairGrantsPath = (granter: string, grantee: string): string => `${GRANTS_ROOT}/${granter}/${grantee}`;
export const grantPath = (granter: string, grantee: string, typeUrl: string): string =>
  `${GRANTS_ROOT}/${granter}/${grantee}/${typeUrlToLabel(typeUrl)}`;
export const granteeIndexRoot = (grantee: string): string => `${BY_GRANTEE_ROOT}/${grantee}`;
export const granteeIndexPath = (grantee: string, granter: string, typeUrl: string): string =>
  `${BY_GRANTEE_ROOT}/${grantee}/${granter}/${typeUrlToLabel(typeUrl)}`;
export const queuePath = (expiry: bigint, granter: string, grantee: string, typeUrl: string): string =>
  `${QUEUE_ROOT}/${pad20(expiry)}/${granter}/${grantee}/${typeUrlToLabel(typeUrl)}`;

/** [expiry, granter, grantee, type URL] of a queue path. */
export function queueEntry(path: string): [bigint, string, string, string] {
  const [expiry, granter, grantee, label] = path.slice(QUEUE_ROOT.length + 1).split('/');
  return [BigInt(expiry!), granter!, grantee!, labelToTypeUrl(label!)];
}
