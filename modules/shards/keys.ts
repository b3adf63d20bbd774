/**
 * The shards module's subtree `/shards` (canonical JSON text leaves unless said otherwise). A chain
 * keeps one *link* per chain it talks to: each child it branched off (`/shards/children/<name>`) and,
 * on a child, its parent (`/shards/parent`). Under a link's root R:
 * - `R/shard` (child links): the registration (MsgBranch); `R/parent` (the parent link): its record;
 * - `R/client`: the trusted state: the latest verified header (height 0 = only the trust root);
 * - `R/headers/<height, 20 digits>`: verified headers (time, header, app and validator hashes) until
 *   reports prune them once past the trusting period (never the latest);
 * - `R/valsets/<validators hash>`: validator sets by hash (base64 tendermint.types.ValidatorSet);
 * - `R/valset_refs/<validators hash>`: how many stored headers counted (at or above
 *   `R/valset_refs_from`, the height of the first header stored with counting) name the set, as a
 *   decimal; pruning deletes a set when its count drops to zero (`valsetRefs.ts`);
 * - `R/frozen`: set by misbehaviour (two valid headers for one height) until unfrozen or recovered;
 * - `R/recovered_from`: the height of the header governance last recovered the link at
 *   (MsgRecoverLink); headers below it are superseded: never used again, pruned by reports;
 * - `R/values/<path of the other chain>`: proven leaves; `R/value_heights/<path>`: their heights;
 * - `R/out/next`, `R/out/packets/<sequence, 20 digits>`: packets sent and not yet settled;
 * - `R/in/receipts/<sequence, 20 digits>`: `true` per packet received (what the sender proves);
 * - `R/escrow`: this chain's uain escrowed for the other chain; `R/escrows/<denom, / as %2F>`: each
 *   other native denom escrowed for it (uain keeps the leaf it had before other denoms crossed);
 * - `R/reports`: accepted reports.
 * `/shards/branched/<app>`: `true` while `/apps/<app>` belongs to a child chain (the state
 * module's write guard reads it).
 */
import { BASE_DENOM } from '../../core/index.ts';

export const SHARDS_ROOT = '/shards';
export const CHILDREN_ROOT = `${SHARDS_ROOT}/children`;
export const PARENT_ROOT = `${SHARDS_ROOT}/parent`;
export const BRANCHED_ROOT = `${SHARDS_ROOT}/branched`;
/** The link name of the parent on a child; never a shard name. */
export const PARENT_LINK = 'parent';

const pad = (n: bigint): string => n.toString().padStart(20, '0');

export const childRoot = (name: string): string => `${CHILDREN_ROOT}/${name}`;
export const branchedPath = (app: string): string => `${BRANCHED_ROOT}/${app}`;
export const shardPath = (root: string): string => `${root}/shard`;
export const parentRecordPath = (root: string): string => `${root}/parent`;
export const clientPath = (root: string): string => `${root}/client`;
export const headersRoot = (root: string): string => `${root}/headers`;
export const headerPath = (root: string, height: bigint): string => `${root}/headers/${pad(height)}`;
export const valsetPath = (root: string, hashHex: string): string => `${root}/valsets/${hashHex}`;
export const valsetRefsPath = (root: string, hashHex: string): string => `${root}/valset_refs/${hashHex}`;
export const valsetRefsFromPath = (root: string): string => `${root}/valset_refs_from`;
export const frozenPath = (root: string): string => `${root}/frozen`;
export const recoveredFromPath = (root: string): string => `${root}/recovered_from`;
export const valuesRoot = (root: string): string => `${root}/values`;
export const valuePath = (root: string, path: string): string => `${root}/values${path}`;
export const valueHeightPath = (root: string, path: string): string => `${root}/value_heights${path}`;
export const nextSequencePath = (root: string): string => `${root}/out/next`;
export const packetsRoot = (root: string): string => `${root}/out/packets`;
export const packetPath = (root: string, sequence: bigint): string => `${root}/out/packets/${pad(sequence)}`;
export const receiptPath = (root: string, sequence: bigint): string => `${root}/in/receipts/${pad(sequence)}`;
/** Denoms may hold `/`, which a label may not: written `%2F` as the bank module writes them (`%` is no denom character). */
export const denomLabel = (denom: string): string => denom.replaceAll('/', '%2F');
export const labelDenom = (label: string): string => label.replaceAll('%2F', '/');
/** Where a link's escrow of `denom`, one of this chain's own, is kept (uain keeps `R/escrow`, the only escrow before other denoms crossed). */
export const escrowPath = (root: string, denom: string = BASE_DENOM): string =>
  denom === BASE_DENOM ? `${root}/escrow` : `${root}/escrows/${denomLabel(denom)}`;
export const escrowsRoot = (root: string): string => `${root}/escrows`;
export const reportsPath = (root: string): string => `${root}/reports`;

/** Labels a link root takes (`/shards/children/<name>/values` is 4): what is left for a proven path. */
export const VALUE_ROOT_LABELS = 4;

/** What every voucher denom starts with. */
export const VOUCHER_PREFIX = 'shard/';
/** The prefix of the vouchers of the chain `chainId`'s denoms: `shard/<chain id>/`. */
export const voucherPrefix = (chainId: string): string => `${VOUCHER_PREFIX}${chainId}/`;
/** The voucher of `base` (a denom native to the chain `chainId`) on a chain linked to it: `shard/<chain id>/<base>`; by default its uain. */
export const voucherDenom = (chainId: string, base: string = BASE_DENOM): string => `${voucherPrefix(chainId)}${base}`;
