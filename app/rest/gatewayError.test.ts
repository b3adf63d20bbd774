import { describe, expect, it } from 'vitest';
import { AinError, ainError, ErrInsufficientFunds, ErrIO, ErrKeyNotFound, ErrNotFound } from '../../core/index.ts';
import { toGatewayError } from './gatewayError.ts';

describe('toGatewayError', () => {
  it('maps NotFound to 404 / gRPC 5 and keeps the codespace and code in the message', () => {
    expect(toGatewayError(ainError(ErrKeyNotFound, 'rpc error: code = NotFound desc = account ain1x not found'))).toEqual({
      status: 404,
      body: {
        code: 5,
        message: 'rpc error: code = NotFound desc = account ain1x not found: key not found (codespace sdk, code 22)',
        details: [],
      },
    });
    expect(toGatewayError(ainError(ErrNotFound, 'tx not found: AB')).status).toBe(404);
    // A module's own NotFound, recognised by the gRPC words in its log.
    expect(
      toGatewayError(new AinError({ codespace: 'jobs', code: 4, description: 'rpc error: code = NotFound desc = job 7' })).body.code,
    ).toBe(5);
  });

  it('maps other app errors to 400 / gRPC 3 InvalidArgument', () => {
    expect(toGatewayError(new AinError({ codespace: 'jobs', code: 9, description: 'reward too small' }))).toEqual({
      status: 400,
      body: { code: 3, message: 'reward too small (codespace jobs, code 9)', details: [] },
    });
    expect(toGatewayError(ainError(ErrInsufficientFunds)).status).toBe(400);
  });

  it('maps an unreachable CometBFT to 503 / gRPC 14', () => {
    expect(toGatewayError(ainError(ErrIO, 'CometBFT RPC status failed')).body.code).toBe(14);
    expect(toGatewayError(ainError(ErrIO, 'CometBFT RPC status failed')).status).toBe(503);
  });

  it('hides anything else behind a 500', () => {
    expect(toGatewayError(new TypeError('x is undefined'))).toEqual({
      status: 500,
      body: { code: 13, message: 'internal error', details: [] },
    });
  });
});
