/**
 * The slashing module's subtree `/slashing` (params at `/params/slashing/<name>`), keyed by consensus
 * address (hex of the 20 bytes CometBFT puts in votes and evidence).
 */
export const SLASHING_ROOT = '/slashing';
export const PARAMS_ROOT = '/params/slashing';
/** `/slashing/signing_infos/<cons hex>`: canonical JSON text of the validator's liveness record. */
export const SIGNING_INFOS_ROOT = `${SLASHING_ROOT}/signing_infos`;
/** `/slashing/missed/<cons hex>/<index in the window, 10 digits>`: `true` for each missed block in the window. */
export const MISSED_ROOT = `${SLASHING_ROOT}/missed`;

export const signingInfoPath = (consHex: string): string => `${SIGNING_INFOS_ROOT}/${consHex}`;
export const missedBlocksPath = (consHex: string): string => `${MISSED_ROOT}/${consHex}`;
export const missedBlockPath = (consHex: string, index: bigint): string =>
  `${MISSED_ROOT}/${consHex}/${index.toString().padStart(10, '0')}`;
