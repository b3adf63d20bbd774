/**
 * The REST routes answered from CometBFT's RPC that explorers page through: tx search (query and the
 * older events, order_by names and numbers and a repeated parameter's last value, page/limit and the
 * older pagination fields, past the end), a block's txs, validator sets at a height, and the gov
 * placeholder. The handlers run against a fake CometBFT that pages as `tx_search` does.
 */
import { MsgSend } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { AuthInfo, TxBody, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { describe, expect, it } from 'vitest';
import { AinError, ainError, ErrInvalidRequest, type RestContext, type RestRequest } from '../../core/index.ts';
import { ModuleManager } from '../moduleManager.ts';
import { MODULES } from '../modules.ts';
import { getBlockWithTxs, getTxsEvent, txQueryOf } from './txSearch.ts';
import { getLatestValidatorSet, getValidatorSetByHeight } from './validatorSets.ts';

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const TOTAL = 250;
const sender = 'ain1sender';

function txBytes(i: number): Uint8Array {
  const body = TxBody.fromPartial({
    messages: [
      {
        typeUrl: '/cosmos.bank.v1beta1.MsgSend',
        value: MsgSend.encode({ fromAddress: sender, toAddress: 'ain1to', amount: [{ denom: 'uain', amount: String(i + 1) }] }).finish(),
      },
    ],
    memo: `tx ${i}`,
  });
  return TxRaw.encode({
    bodyBytes: TxBody.encode(body).finish(),
    authInfoBytes: AuthInfo.encode(AuthInfo.fromPartial({ fee: { amount: [], gasLimit: 100000n } })).finish(),
    signatures: [new Uint8Array(64)],
  }).finish();
}

/** 250 indexed txs, two per block from height 10. */
const indexed = Array.from({ length: TOTAL }, (_, i) => ({
  hash: i.toString(16).padStart(64, '0').toUpperCase(),
  height: String(10 + Math.floor(i / 2)),
  index: i % 2,
  tx_result: { code: 0, data: '', log: '', info: '', gas_wanted: '100000', gas_used: '50000', events: [], codespace: '' },
  tx: b64(txBytes(i)),
}));

const calls: Array<{ method: string; params: Record<string, unknown> }> = [];

/** CometBFT's `tx_search`, `header`, `block`, `validators` and `status`, with its paging rules and errors. */
async function comet(method: string, params: Record<string, unknown>): Promise<unknown> {
  calls.push({ method, params });
  switch (method) {
    case 'tx_search': {
      const perPage = Math.min(Number(params['per_page']), 100);
      const page = Number(params['page']);
      const pages = Math.max(1, Math.ceil(TOTAL / perPage));
      if (page < 1 || page > pages) throw ainError(ErrInvalidRequest, `page should be within [1, ${pages}] range, given ${page}`);
      const ordered = params['order_by'] === 'desc' ? [...indexed].reverse() : indexed;
      return { txs: ordered.slice((page - 1) * perPage, page * perPage), total_count: String(TOTAL) };
    }
    case 'header':
      return { header: { time: `2024-05-01T00:00:${String(Number(params['height']) % 60).padStart(2, '0')}.5Z` } };
    case 'block': {
      if (Number(params['height']) > 200)
        throw ainError(
          ErrInvalidRequest,
          `height ${String(params['height'])} must be less than or equal to the current blockchain height 200`,
        );
      return {
        block_id: { hash: 'AA'.repeat(32), parts: { total: 1, hash: 'BB'.repeat(32) } },
        block: {
          header: {
            version: { block: '11', app: '1' },
            chain_id: 'ain-test-1',
            height: String(params['height']),
            time: '2024-05-01T00:00:00Z',
          },
          data: { txs: [0, 1, 2, 3, 4].map((i) => b64(txBytes(i))) },
          last_commit: { height: '1', round: 0, block_id: {}, signatures: [] },
        },
      };
    }
    case 'status':
      return { sync_info: { latest_block_height: '200' } };
    case 'validators':
      return {
        block_height: String(params['height'] ?? '200'),
        validators: [
          {
            address: '0123456789ABCDEF0123456789ABCDEF01234567',
            pub_key: { type: 'tendermint/PubKeyEd25519', value: b64(new Uint8Array(32).fill(5)) },
            voting_power: '100000',
            proposer_priority: '-5',
          },
        ],
        count: '1',
        total: '1',
      };
    default:
      throw new Error(`unexpected ${method}`);
  }
}

const context: RestContext = {
  query: () => {
    throw new Error('no app queries here');
  },
  comet,
  anyTypes: new ModuleManager(MODULES).anyTypes,
  appVersion: '0.0.0',
};

function request(url: string, params: string[] = []): RestRequest {
  return { params, searchParams: new URL(url, 'http://rest.invalid').searchParams, body: undefined, height: undefined };
}

type Json = Record<string, unknown> & { tx_responses: Array<Record<string, unknown>>; txs: unknown[] };
const search = async (url: string) => (await getTxsEvent(context, request(url))).body as Json;
const hashes = (body: Json) => body.tx_responses.map((r) => r['txhash'] as string);

describe('GET /cosmos/tx/v1beta1/txs', () => {
  it('answers an explorer query as the SDK does: the last order_by wins, pagination.* paging', async () => {
    calls.length = 0;
    const body = await search(
      `/cosmos/tx/v1beta1/txs?query=message.sender='${sender}'&order_by=2&pagination.limit=20&pagination.offset=0&order_by=ORDER_BY_DESC`,
    );
    expect(Object.keys(body).sort()).toEqual(['pagination', 'total', 'tx_responses', 'txs']);
    expect(body['pagination']).toBeNull();
    expect(body['total']).toBe('250');
    expect(body.txs).toHaveLength(20);
    expect(hashes(body)[0]).toBe(indexed.at(-1)!.hash);
    expect(calls.find((c) => c.method === 'tx_search')!.params).toEqual({
      query: `message.sender='${sender}'`,
      prove: false,
      page: '1',
      per_page: '20',
      order_by: 'desc',
    });
    const first = body.tx_responses[0]!;
    expect(first).toMatchObject({ height: '134', code: 0, gas_used: '50000', timestamp: '2024-05-01T00:00:14Z' });
    expect((first['tx'] as Record<string, unknown>)['@type']).toBe('/cosmos.tx.v1beta1.Tx');
    expect((body.txs[0] as { body: { memo: string } }).body.memo).toBe('tx 249');
    // One header read per block, not per tx.
    expect(calls.filter((c) => c.method === 'header')).toHaveLength(10);
  });

  it('pages through all 250 txs with page/limit both ways, and serves any offset', async () => {
    const walk = async (order: string) => {
      const seen: string[] = [];
      for (let page = 1; ; page++) {
        const body = await search(`/cosmos/tx/v1beta1/txs?query=tx.height>0&order_by=${order}&page=${page}&limit=100`);
        seen.push(...hashes(body));
        if (body.tx_responses.length < 100) return seen;
      }
    };
    const asc = await walk('ORDER_BY_ASC');
    expect(asc).toEqual(indexed.map((t) => t.hash));
    expect(await walk('ORDER_BY_DESC')).toEqual([...asc].reverse());
    const middle = await search('/cosmos/tx/v1beta1/txs?query=tx.height>0&pagination.offset=30&pagination.limit=50');
    expect(hashes(middle)).toEqual(asc.slice(30, 80));
    const past = await search('/cosmos/tx/v1beta1/txs?query=tx.height>0&page=9&limit=100');
    expect(past).toMatchObject({ txs: [], tx_responses: [], total: '250' });
    expect((await search('/cosmos/tx/v1beta1/txs?query=tx.height>0&limit=500')).txs).toHaveLength(100);
  });

  it('ANDs the older events=, quoting values as the SDK did, with the query', () => {
    const query = txQueryOf(
      request("/x?events=message.sender='ain1a'&events=transfer.recipient=ain1b&events=tx.height=5&query=coin_received.receiver='ain1c'"),
    );
    expect(query).toBe("coin_received.receiver='ain1c' AND message.sender='ain1a' AND transfer.recipient='ain1b' AND tx.height=5");
  });

  it('refuses an empty query and an unknown order_by', async () => {
    await expect(search('/cosmos/tx/v1beta1/txs')).rejects.toThrow(/query cannot be empty/);
    await expect(search("/cosmos/tx/v1beta1/txs?query=a.b='c'&order_by=SIDEWAYS")).rejects.toThrow(AinError);
  });
});

describe('GET /cosmos/tx/v1beta1/txs/block/{height}', () => {
  it('answers the block, its decoded txs paged, and the total', async () => {
    const reply = await getBlockWithTxs(context, request('/x?pagination.offset=1&pagination.limit=2', ['150']));
    const body = reply.body as { txs: Array<{ body: { memo: string } }>; pagination: unknown; block: { header: { height: string } } };
    expect(body.txs.map((tx) => tx.body.memo)).toEqual(['tx 1', 'tx 2']);
    expect(body.pagination).toEqual({ next_key: null, total: '5' });
    expect(body.block.header.height).toBe('150');
    expect(Object.keys(body).sort()).toEqual(['block', 'block_id', 'pagination', 'txs']);
    const reversed = (await getBlockWithTxs(context, request('/x?pagination.reverse=true&pagination.limit=2', ['150'])))
      .body as typeof body;
    expect(reversed.txs.map((tx) => tx.body.memo)).toEqual(['tx 4', 'tx 3']);
    await expect(getBlockWithTxs(context, request('/x?pagination.offset=9', ['150']))).rejects.toThrow(/out of range/);
    await expect(getBlockWithTxs(context, request('/x', ['300']))).rejects.toThrow(/greater than the current height 200/);
  });
});

describe('validator sets and the gov placeholder', () => {
  it('maps CometBFT validators to the SDK shape: valcons addresses, Any ed25519 keys, total', async () => {
    const body = (await getValidatorSetByHeight(context, request('/x?pagination.limit=10', ['150']))).body as Record<string, unknown>;
    expect(body).toEqual({
      block_height: '150',
      validators: [
        {
          address: expect.stringMatching(/^ainvalcons1/),
          pub_key: { '@type': '/cosmos.crypto.ed25519.PubKey', key: b64(new Uint8Array(32).fill(5)) },
          voting_power: '100000',
          proposer_priority: '-5',
        },
      ],
      pagination: { next_key: null, total: '1' },
    });
    expect(calls.at(-1)!.params).toEqual({ height: '150', page: '1', per_page: '10' });
    await expect(getValidatorSetByHeight(context, request('/x', ['201']))).rejects.toThrow(/bigger then the chain length/);
    expect(((await getLatestValidatorSet(context, request('/x'))).body as Record<string, unknown>)['block_height']).toBe('200');
  });
});
