/**
 * The ainft module's subtree `/ainft` (canonical JSON text leaves unless said otherwise):
 * - `/ainft/classes/<class>`: a collection; `/ainft/supply/<class>`: its token count (decimal text);
 * - `/ainft/tokens/<class>/<id>`: a token (owner, metadata, composition, provenance, approval, counts);
 * - `/ainft/earned/<class>/<id>`: uain its owners received through it (decimal text);
 * - `/ainft/owners/<owner>/<class>/<id>`: `true` per token an address owns;
 *   `/ainft/balances/<owner>/<class>`: how many (decimal text);
 * - `/ainft/operators/<owner>/<operator>`: `true` while the operator may act on all the owner's tokens;
 * - `/ainft/parents/<child class>/<child id>/<parent class>/<parent id>/<kind>`: the parent's weight
 *   (decimal text) for kind `child`, `0` for a metadata reference (`data`, `model`, `service`);
 * - `/ainft/by_hash/<sha256>/<class>/<id>/<kind>`: `true` for a token whose data (`data`) or model
 *   weights (`weights`) have that hash: where a job's inputs came from;
 * - `/ainft/by_request/<request id>`: `<class>/<id>` of the token minted from that job request;
 * - `/ainft/by_state/apps/<app>/...`: `<class>/<id>` of the token whose state path it is;
 * - `/ainft/reruns/<request id>`: a re-run and its outcome; `/ainft/token_reruns/<class>/<id>/<request
 *   id, 20 digits>`: `true` per re-run of a token.
 * Params live at `/params/ainft/<name>`, written only when genesis sets them.
 */
export const AINFT_ROOT = '/ainft';
export const PARAMS_ROOT = '/params/ainft';
export const CLASSES_ROOT = `${AINFT_ROOT}/classes`;
export const TOKENS_ROOT = `${AINFT_ROOT}/tokens`;

export type ParentKind = 'child' | 'data' | 'model' | 'service';
export type HashKind = 'data' | 'weights';

export const classPath = (classId: string): string => `${CLASSES_ROOT}/${classId}`;
export const supplyPath = (classId: string): string => `${AINFT_ROOT}/supply/${classId}`;
export const classTokensPath = (classId: string): string => `${TOKENS_ROOT}/${classId}`;
export const tokenPath = (classId: string, id: string): string => `${TOKENS_ROOT}/${classId}/${id}`;
export const earnedPath = (classId: string, id: string): string => `${AINFT_ROOT}/earned/${classId}/${id}`;
export const ownerRootPath = (owner: string): string => `${AINFT_ROOT}/owners/${owner}`;
export const ownerClassPath = (owner: string, classId: string): string => `${ownerRootPath(owner)}/${classId}`;
export const ownedPath = (owner: string, classId: string, id: string): string => `${ownerClassPath(owner, classId)}/${id}`;
export const balancePath = (owner: string, classId: string): string => `${AINFT_ROOT}/balances/${owner}/${classId}`;
export const operatorPath = (owner: string, operator: string): string => `${AINFT_ROOT}/operators/${owner}/${operator}`;
export const parentsOfPath = (classId: string, id: string): string => `${AINFT_ROOT}/parents/${classId}/${id}`;
export const parentPath = (child: TokenKey, parent: TokenKey, kind: ParentKind): string =>
  `${parentsOfPath(child.classId, child.id)}/${parent.classId}/${parent.id}/${kind}`;
export const byHashRootPath = (hash: string): string => `${AINFT_ROOT}/by_hash/${hash}`;
export const byHashPath = (hash: string, token: TokenKey, kind: HashKind): string =>
  `${byHashRootPath(hash)}/${token.classId}/${token.id}/${kind}`;
export const byRequestPath = (requestId: bigint): string => `${AINFT_ROOT}/by_request/${requestId}`;
/** `/apps/x/y` -> `/ainft/by_state/apps/x/y`. */
export const byStatePath = (statePath: string): string => `${AINFT_ROOT}/by_state${statePath}`;
export const BY_STATE_ROOT = `${AINFT_ROOT}/by_state`;
export const rerunPath = (requestId: bigint): string => `${AINFT_ROOT}/reruns/${requestId}`;
export const tokenRerunsPath = (classId: string, id: string): string => `${AINFT_ROOT}/token_reruns/${classId}/${id}`;
export const tokenRerunPath = (classId: string, id: string, requestId: bigint): string =>
  `${tokenRerunsPath(classId, id)}/${requestId.toString().padStart(20, '0')}`;
export const paramPath = (name: string): string => `${PARAMS_ROOT}/${name}`;

/** A token's two labels. */
export interface TokenKey {
  readonly classId: string;
  readonly id: string;
}

/** `class/id`, as the indexes store a token and events name it. */
export const tokenLabel = (token: TokenKey): string => `${token.classId}/${token.id}`;

/** The token a `class/id` text names. */
export function parseTokenLabel(text: string): TokenKey {
  const slash = text.indexOf('/');
  return { classId: text.slice(0, slash), id: text.slice(slash + 1) };
}
