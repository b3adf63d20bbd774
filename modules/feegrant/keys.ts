/**
 * The feegrant module's subtree `/feegrant`: each allowance at `/feegrant/grants/<grantee>/<granter>`
 * (canonical JSON of the grant, as genesis writes it; grantee first, as the SDK keys them, so a
 * grantee's allowances are one listed subtree), an index `/feegrant/by_granter/<granter>/<grantee>`
 * for the allowances a granter issued, and the expiry queue
 * `/feegrant/expiry/<expiration seconds, 20 digits>/<grantee>/<granter>` that MsgPruneAllowances
 * walks in time order.
 */
export const FEEGRANT_ROOT = '/feegrant';
export const GRANTS_ROOT = '/feegrant/grants';
export const BY_GRANTER_ROOT = '/feegrant/by_granter';
export const EXPIRY_ROOT = '/feegrant/expiry';

export const granteeGrantsPath = (grantee: string): string => `${GRANTS_ROOT}/${grantee}`;
export const grantPath = (granter: string, grantee: string): string => `${GRANTS_ROOT}/${grantee}/${granter}`;
export const granterGrantsPath = (granter: string): string => `${BY_GRANTER_ROOT}/${granter}`;
export const byGranterPath = (granter: string, grantee: string): string => `${BY_GRANTER_ROOT}/${granter}/${grantee}`;

/** Expiry queue labels sort by time: seconds since the epoch, zero-padded (expirations before 1970 are refused). */
export const expiryLabel = (seconds: bigint): string => seconds.toString().padStart(20, '0');
export const expiryPath = (seconds: bigint, granter: string, grantee: string): string =>
  `${EXPIRY_ROOT}/${expiryLabel(seconds)}/${grantee}/${granter}`;
