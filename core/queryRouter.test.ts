import { QueryBalanceRequest } from 'cosmjs-types/cosmos/bank/v1beta1/query';
import { describe, expect, it } from 'vitest';
import { QueryGetRequest } from '../proto/gen/ain/state/v1/query.ts';
import { AinError } from './errors.ts';
import { decodeQueryRequest, QueryRouter } from './queryRouter.ts';

const env = { height: 1n, prove: false, proofOf: () => new Uint8Array() };

describe('decodeQueryRequest', () => {
  it('decodes a request of either generator', () => {
    const data = QueryBalanceRequest.encode({ address: 'ain1x', denom: 'uain' }).finish();
    expect(decodeQueryRequest(QueryBalanceRequest, data)).toEqual({ address: 'ain1x', denom: 'uain' });
    expect(decodeQueryRequest(QueryGetRequest, new Uint8Array()).path).toBe('');
  });

  it('refuses bytes that are not the request with sdk/18 naming the type, where the decoder threw a RangeError', () => {
    const router = new QueryRouter();
    router.register('/balance', (_, data) => QueryBalanceRequest.encode(decodeQueryRequest(QueryBalanceRequest, data)).finish());
    router.register('/get', (_, data) => QueryGetRequest.encode(decodeQueryRequest(QueryGetRequest, data)).finish());
    for (const [path, data, type] of [
      ['/balance', [0x00], 'cosmos.bank.v1beta1.QueryBalanceRequest'],
      ['/balance', [0x0a, 0x05], 'cosmos.bank.v1beta1.QueryBalanceRequest'],
      ['/get', [0x0f], 'ain.state.v1.QueryGetRequest'],
    ] as const) {
      let thrown: unknown;
      try {
        router.handle(path, {} as never, Uint8Array.from(data), env);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(AinError);
      const error = thrown as AinError;
      expect([error.codespace, error.code]).toEqual(['sdk', 18]);
      expect(error.meta).toEqual({ field: 'data', type });
      expect(error.message).toMatch(new RegExp(`^query data is not a valid ${type.replaceAll('.', '\\.')} \\(.+\\): invalid request$`));
    }
  });
});
