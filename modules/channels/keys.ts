/**
 * The channels module's subtree `/channels`:
 * - `/channels/next_channel_id`: counter (decimal text; missing = 1);
 * - `/channels/channels/<id>`: a channel (canonical JSON text: payer and key, executor, deposit,
 *   redeemed, nonce, expiry, status);
 * - `/channels/escrow_total`: uain the module account holds for open channels (decimal text).
 */
export const CHANNELS_ROOT = '/channels';
export const NEXT_CHANNEL_ID_PATH = `${CHANNELS_ROOT}/next_channel_id`;
export const ESCROW_TOTAL_PATH = `${CHANNELS_ROOT}/escrow_total`;

export const channelPath = (id: bigint): string => `${CHANNELS_ROOT}/channels/${id}`;
