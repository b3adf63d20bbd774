/**
 * The channels module's subtree `/channels`:
 * - `/channels/next_channel_id`: counter (decimal text; missing = 1);
 * - `/channels/channels/<id>`: a channel (canonical JSON text: payer and key, executor, deposit,
 *   redeemed, nonce, expiry, status);
 * - `/channels/by_payer/<addr>/<id>`, `/channels/by_executor/<addr>/<id>`: `true` per channel;
 * - `/channels/next_contract_id`, `/channels/contracts/<id>`: service contracts (canonical JSON);
 * - `/channels/contracts_by_client/<addr>/<id>`, `/channels/contracts_by_executor/<addr>/<id>`: `true`;
 * - `/channels/claims/<contract>/<seq>`: a claimed miss (canonical JSON);
 * - `/channels/seq_index/<contract>/<seq padded to 20 digits>`: `true` per claim, so that text order is
 *   seq order (`claimIndex.ts`); `/channels/seq_index_complete/<contract>`: `true` once the index holds
 *   every claim of the contract (its first claim came with the index);
 * - `/channels/escrow_total`: uain the module account holds for open channels and contracts (decimal text).
 */
export const CHANNELS_ROOT = '/channels';
export const NEXT_CHANNEL_ID_PATH = `${CHANNELS_ROOT}/next_channel_id`;
export const NEXT_CONTRACT_ID_PATH = `${CHANNELS_ROOT}/next_contract_id`;
export const ESCROW_TOTAL_PATH = `${CHANNELS_ROOT}/escrow_total`;

export const channelPath = (id: bigint): string => `${CHANNELS_ROOT}/channels/${id}`;
export const channelsByPath = (role: 'payer' | 'executor', address: string): string => `${CHANNELS_ROOT}/by_${role}/${address}`;
export const contractPath = (id: bigint): string => `${CHANNELS_ROOT}/contracts/${id}`;
export const contractsByPath = (role: 'client' | 'executor', address: string): string => `${CHANNELS_ROOT}/contracts_by_${role}/${address}`;
export const claimsPath = (contractId: bigint): string => `${CHANNELS_ROOT}/claims/${contractId}`;
export const claimPath = (contractId: bigint, seq: bigint): string => `${claimsPath(contractId)}/${seq}`;
export const seqIndexPath = (contractId: bigint): string => `${CHANNELS_ROOT}/seq_index/${contractId}`;
export const seqIndexCompletePath = (contractId: bigint): string => `${CHANNELS_ROOT}/seq_index_complete/${contractId}`;
