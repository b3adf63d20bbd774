/**
 * How errors leave the REST server: the gRPC gateway's JSON `{code, message, details: []}` with the
 * gRPC status code and the HTTP status the gateway maps it to. Every error inside the server is an
 * `AinError` (the project's one error model); this file is the single place that turns one into HTTP.
 */
import { AinError, ErrIO, registeredError } from '../../core/index.ts';
import type { JsonValue } from '../../core/index.ts';

/** gRPC status codes the gateway uses (google.golang.org/grpc/codes). */
export const GrpcCode = {
  InvalidArgument: 3,
  DeadlineExceeded: 4,
  NotFound: 5,
  ResourceExhausted: 8,
  Unimplemented: 12,
  Internal: 13,
  Unavailable: 14,
} as const;

export interface GatewayErrorResponse {
  readonly status: number;
  readonly body: { code: number; message: string; details: JsonValue[] };
}

/**
 * Maps an error to the gateway's response. App and request errors are 400 InvalidArgument, except
 * NotFound (an error registered as `notFound`: the SDK's `key not found`/`not found`, a module's
 * `shard not found`, `unknown proposal`..., or a log saying `code = NotFound`) which is 404,
 * and an unreachable CometBFT (`ErrIO`), which is 503 Unavailable. The app's
 * codespace and code travel at the end of the message, so `details` stays `[]` as in the SDK.
 * Anything that is not an `AinError` is a bug in this server: 500 with no internals revealed.
 *
 * @example
 * toGatewayError(new AinError({ codespace: 'sdk', code: 22, description: 'account x not found' }))
 * // { status: 404, body: { code: 5, message: 'account x not found (codespace sdk, code 22)', details: [] } }
 */
export function toGatewayError(error: unknown): GatewayErrorResponse {
  if (!(error instanceof AinError)) {
    return { status: 500, body: { code: GrpcCode.Internal, message: 'internal error', details: [] } };
  }
  const [status, code] = statusOf(error);
  return { status, body: { code, message: `${error.message} (codespace ${error.codespace}, code ${error.code})`, details: [] } };
}

function statusOf(error: AinError): [httpStatus: number, grpcCode: number] {
  if (registeredError(error.codespace, error.code)?.notFound || /\bcode = NotFound\b/.test(error.message)) return [404, GrpcCode.NotFound];
  if (error.is(ErrIO)) return [503, GrpcCode.Unavailable];
  return [400, GrpcCode.InvalidArgument];
}

/** The gateway's answer for a path no route serves: gRPC Unimplemented, which it maps to HTTP 501. */
export const notImplemented: GatewayErrorResponse = {
  status: 501,
  body: { code: GrpcCode.Unimplemented, message: 'Not Implemented', details: [] },
};

/** The gateway's answer for a known path asked with the wrong method. */
export const methodNotAllowed: GatewayErrorResponse = {
  status: 405,
  body: { code: GrpcCode.Unimplemented, message: 'Method Not Allowed', details: [] },
};

/** The answer for a request body over the server's limit: HTTP 413, gRPC ResourceExhausted. */
export function payloadTooLarge(limit: number): GatewayErrorResponse {
  return {
    status: 413,
    body: { code: GrpcCode.ResourceExhausted, message: `request body is larger than the limit of ${limit} bytes`, details: [] },
  };
}
