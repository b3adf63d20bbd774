/**
 * The REST (LCD) API of an AIN node: Cosmos SDK gateway routes on port 1317, for Keplr-style wallets,
 * explorers and scripts. The public face of `app/rest/`, listed name by name.
 */
export { startRestServer, DEFAULT_COMET_TIMEOUT_MS, DEFAULT_MAX_BODY_BYTES, BLOCK_HEIGHT_HEADER } from './startRestServer.ts';
export type { RestServer, RestServerOptions } from './startRestServer.ts';
export type { RestLogger, RestQuery, RestQueryResponse } from './types.ts';
export { restRoutes } from './routes.ts';
export type { RestRoute, RestMethod } from './routes.ts';
export { defaultAnyTypes, toProtoJson } from '../../core/protoJson.ts';
export type { AnyTypes, JsonCodec, JsonValue } from '../../core/protoJson.ts';
export { toGatewayError } from './gatewayError.ts';
