/**
 * The REST (LCD) API of an AIN node: Cosmos SDK gateway routes on port 1317, for Keplr-style wallets,
 * explorers and scripts. The public face of `app/rest/`, listed name by name.
 */
export { startRestServer, DEFAULT_COMET_TIMEOUT_MS, DEFAULT_MAX_BODY_BYTES, BLOCK_HEIGHT_HEADER } from './startRestServer.ts';
export type { RestLogger, RestServer, RestServerOptions } from './startRestServer.ts';
export { restRoutes } from './routes.ts';
export { toGatewayError } from './gatewayError.ts';
export type { HttpLimits } from './httpLimits.ts';
