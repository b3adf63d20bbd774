import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { toBech32 } from '@cosmjs/encoding';
import { BaseAccount } from 'cosmjs-types/cosmos/auth/v1beta1/auth';
import { QueryAccountRequest, QueryAccountResponse, QueryParamsResponse } from 'cosmjs-types/cosmos/auth/v1beta1/query';
import {
  QueryAllBalancesRequest,
  QueryAllBalancesResponse,
  QueryBalanceRequest,
  QueryBalanceResponse,
  QuerySpendableBalancesResponse,
  QuerySupplyOfRequest,
  QuerySupplyOfResponse,
  QueryTotalSupplyResponse,
} from 'cosmjs-types/cosmos/bank/v1beta1/query';
import { MsgSend, MsgSendResponse } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { BasicAllowance } from 'cosmjs-types/cosmos/feegrant/v1beta1/feegrant';
import {
  QueryAllowanceRequest,
  QueryAllowanceResponse,
  QueryAllowancesByGranterRequest,
  QueryAllowancesByGranterResponse,
  QueryAllowancesRequest,
  QueryAllowancesResponse,
} from 'cosmjs-types/cosmos/feegrant/v1beta1/query';
import { PubKey } from 'cosmjs-types/cosmos/crypto/secp256k1/keys';
import { SimulateRequest, SimulateResponse } from 'cosmjs-types/cosmos/tx/v1beta1/service';
import { AuthInfo, TxBody, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModuleManager } from '../moduleManager.ts';
import { MODULES } from '../modules.ts';
import { startRestServer, type RestServer } from './startRestServer.ts';
import type { RestQueryResponse } from '../../core/index.ts';

const HEIGHT = 42n;
const alice = toBech32('ain', new Uint8Array(20).fill(1));
const bob = toBech32('ain', new Uint8Array(20).fill(2));
const stranger = toBech32('ain', new Uint8Array(20).fill(9));
const aliceKey = new Uint8Array(33).fill(3);
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

/** Alice's allowance for Bob: 500uain until 2030 (what the feegrant queries answer). */
const aliceToBob = {
  granter: alice,
  grantee: bob,
  allowance: {
    typeUrl: '/cosmos.feegrant.v1beta1.BasicAllowance',
    value: BasicAllowance.encode({
      spendLimit: [{ denom: 'uain', amount: '500' }],
      expiration: { seconds: 1_893_456_000n, nanos: 0 },
    }).finish(),
  },
};

// ---------------------------------------------------------------------------------------------------
// A fake app query that answers like AinApplication.query: real protobuf responses, SDK error codes.

const queryCalls: { path: string; data: Uint8Array }[] = [];

function ok(value: Uint8Array): RestQueryResponse {
  return { code: 0, codespace: '', log: '', value, height: HEIGHT };
}
function fail(code: number, log: string): RestQueryResponse {
  return { code, codespace: 'sdk', log, value: new Uint8Array(), height: HEIGHT };
}
function checkAddress(address: string): RestQueryResponse | undefined {
  return address.startsWith('ain1') ? undefined : fail(7, `address "${address}" is not valid bech32: invalid address`);
}

const handlers: Record<string, (data: Uint8Array) => RestQueryResponse> = {
  '/cosmos.auth.v1beta1.Query/Account': (data) => {
    const { address } = QueryAccountRequest.decode(data);
    const bad = checkAddress(address);
    if (bad) return bad;
    if (address !== alice && address !== bob)
      return fail(22, `rpc error: code = NotFound desc = account ${address} not found: key not found`);
    const pubKey =
      address === alice ? { typeUrl: '/cosmos.crypto.secp256k1.PubKey', value: PubKey.encode({ key: aliceKey }).finish() } : undefined;
    const account = BaseAccount.encode({
      address,
      accountNumber: address === alice ? 0n : 1n,
      sequence: address === alice ? 5n : 0n,
      ...(pubKey ? { pubKey } : {}),
    }).finish();
    return ok(QueryAccountResponse.encode({ account: { typeUrl: '/cosmos.auth.v1beta1.BaseAccount', value: account } }).finish());
  },
  '/cosmos.auth.v1beta1.Query/Params': () =>
    ok(
      QueryParamsResponse.encode({
        params: {
          maxMemoCharacters: 256n,
          txSigLimit: 7n,
          txSizeCostPerByte: 10n,
          sigVerifyCostEd25519: 0n,
          sigVerifyCostSecp256k1: 1000n,
        },
      }).finish(),
    ),
  '/cosmos.bank.v1beta1.Query/Balance': (data) => {
    const { address, denom } = QueryBalanceRequest.decode(data);
    if (denom === '') return fail(10, 'denom "" is invalid: invalid coins');
    return (
      checkAddress(address) ?? ok(QueryBalanceResponse.encode({ balance: { denom, amount: denom === 'uain' ? '1000' : '0' } }).finish())
    );
  },
  '/cosmos.bank.v1beta1.Query/AllBalances': (data) => {
    const { address } = QueryAllBalancesRequest.decode(data);
    return (
      checkAddress(address) ??
      ok(
        QueryAllBalancesResponse.encode({
          balances: [{ denom: 'uain', amount: '1000' }],
          pagination: { nextKey: new Uint8Array(), total: 1n },
        }).finish(),
      )
    );
  },
  '/cosmos.bank.v1beta1.Query/SpendableBalances': () =>
    ok(
      QuerySpendableBalancesResponse.encode({
        balances: [{ denom: 'uain', amount: '900' }],
        pagination: { nextKey: new Uint8Array(), total: 1n },
      }).finish(),
    ),
  '/cosmos.bank.v1beta1.Query/TotalSupply': () =>
    ok(
      QueryTotalSupplyResponse.encode({
        supply: [{ denom: 'uain', amount: '1000000000' }],
        pagination: { nextKey: new Uint8Array(), total: 1n },
      }).finish(),
    ),
  '/cosmos.bank.v1beta1.Query/SupplyOf': (data) => {
    const { denom } = QuerySupplyOfRequest.decode(data);
    return ok(QuerySupplyOfResponse.encode({ amount: { denom, amount: denom === 'uain' ? '1000000000' : '0' } }).finish());
  },
  '/cosmos.feegrant.v1beta1.Query/Allowance': (data) => {
    const { granter, grantee } = QueryAllowanceRequest.decode(data);
    if (granter !== alice || grantee !== bob)
      return {
        ...fail(5, `no fee grant from granter ${granter} to grantee ${grantee}; fee-grant not found: no allowance`),
        codespace: 'feegrant',
      };
    return ok(QueryAllowanceResponse.encode({ allowance: aliceToBob }).finish());
  },
  '/cosmos.feegrant.v1beta1.Query/Allowances': (data) => {
    const { grantee } = QueryAllowancesRequest.decode(data);
    const allowances = grantee === bob ? [aliceToBob] : [];
    return (
      checkAddress(grantee) ??
      ok(QueryAllowancesResponse.encode({ allowances, pagination: { nextKey: new Uint8Array(), total: 0n } }).finish())
    );
  },
  '/cosmos.feegrant.v1beta1.Query/AllowancesByGranter': (data) => {
    const { granter } = QueryAllowancesByGranterRequest.decode(data);
    const allowances = granter === alice ? [aliceToBob] : [];
    return ok(QueryAllowancesByGranterResponse.encode({ allowances, pagination: { nextKey: new Uint8Array(), total: 0n } }).finish());
  },
  '/cosmos.tx.v1beta1.Service/Simulate': (data) => {
    const { txBytes } = SimulateRequest.decode(data);
    if (txBytes.length === 0) return fail(2, 'simulate request has no tx_bytes: tx parse error');
    if (txBytes[0] === 0xff) return fail(5, '10uain is smaller than 99uain: insufficient funds');
    return ok(
      SimulateResponse.encode({
        gasInfo: { gasWanted: 0n, gasUsed: 51234n },
        result: {
          data: new Uint8Array(),
          log: '',
          events: [{ type: 'transfer', attributes: [{ key: 'amount', value: '5uain', index: true }] }],
          msgResponses: [{ typeUrl: '/cosmos.bank.v1beta1.MsgSendResponse', value: MsgSendResponse.encode({}).finish() }],
        },
      }).finish(),
    );
  },
};

async function fakeQuery(path: string, data: Uint8Array): Promise<RestQueryResponse> {
  queryCalls.push({ path, data });
  if (path === '/boom') throw new Error('boom');
  const handler = handlers[path];
  return handler ? handler(data) : fail(6, `unknown query path "${path}": unknown request`);
}

// ---------------------------------------------------------------------------------------------------
// A fake CometBFT RPC: JSON-RPC over POST, answers shaped like CometBFT v0.38's.

const txBody = TxBody.fromPartial({
  messages: [
    {
      typeUrl: '/cosmos.bank.v1beta1.MsgSend',
      value: MsgSend.encode({ fromAddress: alice, toAddress: bob, amount: [{ denom: 'uain', amount: '5' }] }).finish(),
    },
  ],
  memo: 'hi',
});
const authInfo = AuthInfo.fromPartial({
  signerInfos: [
    {
      publicKey: { typeUrl: '/cosmos.crypto.secp256k1.PubKey', value: PubKey.encode({ key: aliceKey }).finish() },
      modeInfo: { single: { mode: 1 } },
      sequence: 5n,
    },
  ],
  fee: { amount: [{ denom: 'uain', amount: '200' }], gasLimit: 200000n },
});
const txBytes = TxRaw.encode({
  bodyBytes: TxBody.encode(txBody).finish(),
  authInfoBytes: AuthInfo.encode(authInfo).finish(),
  signatures: [new Uint8Array(64).fill(7)],
}).finish();
const TX_HASH = 'AB'.repeat(32);
const BLOCK_HASH = 'C0FFEE'.padEnd(64, '0');
const APP_HASH = 'A1'.repeat(32);
const PROPOSER = '0123456789ABCDEF0123456789ABCDEF01234567';

const cometCalls: { method: string; params: Record<string, unknown> }[] = [];

function cometBlock(height: string) {
  return {
    block_id: { hash: BLOCK_HASH, parts: { total: 1, hash: 'D0'.repeat(32) } },
    block: {
      header: {
        version: { block: '11', app: '0' },
        chain_id: 'ain-test-1',
        height,
        time: '2024-05-01T12:00:00.123456789Z',
        last_block_id: { hash: 'E0'.repeat(32), parts: { total: 1, hash: 'F0'.repeat(32) } },
        last_commit_hash: '11'.repeat(32),
        data_hash: '22'.repeat(32),
        validators_hash: '33'.repeat(32),
        next_validators_hash: '33'.repeat(32),
        consensus_hash: '44'.repeat(32),
        app_hash: APP_HASH,
        last_results_hash: '55'.repeat(32),
        evidence_hash: '',
        proposer_address: PROPOSER,
      },
      data: { txs: [b64(txBytes)] },
      evidence: { evidence: [] },
      last_commit: {
        height: String(BigInt(height) - 1n),
        round: 0,
        block_id: { hash: 'E0'.repeat(32), parts: { total: 1, hash: 'F0'.repeat(32) } },
        signatures: [
          {
            block_id_flag: 2,
            validator_address: PROPOSER,
            timestamp: '2024-05-01T11:59:59.5Z',
            signature: b64(new Uint8Array(64).fill(9)),
          },
          { block_id_flag: 1, validator_address: '', timestamp: '0001-01-01T00:00:00Z', signature: null },
        ],
      },
    },
  };
}

type RpcReply = { result: unknown } | { error: { code: number; message: string; data: string } };

function cometHandler(method: string, params: Record<string, unknown>): RpcReply {
  switch (method) {
    case 'status':
      return {
        result: {
          node_info: {
            protocol_version: { p2p: '8', block: '11', app: '0' },
            id: 'b1d3c0ffee',
            listen_addr: 'tcp://0.0.0.0:26656',
            network: 'ain-test-1',
            version: '0.38.26',
            channels: '40202122233038606100',
            moniker: 'node0',
            other: { tx_index: 'on', rpc_address: 'tcp://127.0.0.1:26657' },
          },
          sync_info: { latest_block_height: '42', catching_up: false },
          validator_info: {},
        },
      };
    case 'block': {
      const height = params['height'] === undefined ? '42' : String(params['height']);
      if (BigInt(height) > 42n) {
        return {
          error: {
            code: -32603,
            message: 'Internal error',
            data: `height ${height} must be less than or equal to the current blockchain height 42`,
          },
        };
      }
      return { result: cometBlock(height) };
    }
    case 'header': {
      const height = params['height'] === undefined ? '42' : String(params['height']);
      return { result: { header: (cometBlock(height).block as { header: unknown }).header } };
    }
    case 'tx': {
      const hash = Buffer.from(String(params['hash']), 'base64').toString('hex').toUpperCase();
      if (hash !== TX_HASH) return { error: { code: -32603, message: 'Internal error', data: `tx (${hash}) not found` } };
      return {
        result: {
          hash: TX_HASH,
          height: '12',
          index: 0,
          tx_result: {
            code: 0,
            data: b64(new Uint8Array([0x12, 0x34])),
            log: '',
            info: '',
            gas_wanted: '200000',
            gas_used: '51234',
            events: [{ type: 'transfer', attributes: [{ key: 'recipient', value: bob, index: true }] }],
            codespace: '',
          },
          tx: b64(txBytes),
        },
      };
    }
    case 'broadcast_tx_sync':
    case 'broadcast_tx_async': {
      const tx = Buffer.from(String(params['tx']), 'base64');
      if (tx[0] === 0xee) return { error: { code: -32603, message: 'Internal error', data: 'tx already exists in cache' } };
      if (tx[0] === 0xff && method === 'broadcast_tx_sync') {
        return { result: { code: 5, data: '', log: '10uain is smaller than 99uain: insufficient funds', codespace: 'sdk', hash: TX_HASH } };
      }
      return { result: { code: 0, data: '', log: '', codespace: '', hash: TX_HASH } };
    }
    default:
      return { error: { code: -32601, message: 'Method not found', data: method } };
  }
}

function startFakeComet(): Promise<Server> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const call = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id: number; method: string; params: Record<string, unknown> };
      cometCalls.push({ method: call.method, params: call.params });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ jsonrpc: '2.0', id: call.id, ...cometHandler(call.method, call.params) }));
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

// ---------------------------------------------------------------------------------------------------

/** The chain's modules, for their REST routes and JSON types. */
const MODULE_SET = new ModuleManager(MODULES);

let comet: Server;
let rest: RestServer;
const logged: { message: string; fields?: Record<string, unknown> }[] = [];

beforeAll(async () => {
  comet = await startFakeComet();
  rest = await startRestServer({
    host: '127.0.0.1',
    port: 0,
    query: fakeQuery,
    cometRpcUrl: `http://127.0.0.1:${(comet.address() as AddressInfo).port}`,
    routes: MODULE_SET.restRoutes,
    anyTypes: MODULE_SET.anyTypes,
    appVersion: '9.9.9',
    maxBodyBytes: 64 * 1024,
    logger: { debug() {}, info() {}, error: (message, fields) => logged.push({ message, ...(fields ? { fields } : {}) }) },
  });
});

afterAll(async () => {
  await rest.close();
  await new Promise<void>((resolve) => comet.close(() => resolve()));
});

interface Reply {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: the tests read deep JSON replies of many shapes
  json: Record<string, any>;
}

async function call(path: string, init: RequestInit = {}): Promise<Reply> {
  const response = await fetch(`${rest.url}${path}`, init);
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: text === '' ? undefined : JSON.parse(text) };
}

function post(path: string, body: unknown): Promise<Reply> {
  return call(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

function expectGatewayError(reply: Reply, status: number, code: number, message?: RegExp) {
  expect(reply.status).toBe(status);
  expect(reply.json).toEqual({ code, message: expect.any(String), details: [] });
  if (message) expect(reply.json.message).toMatch(message);
}

describe('tendermint routes', () => {
  it('node_info: CometBFT node info, the app version and build, and the Cosmos SDK version it follows', async () => {
    const reply = await call('/cosmos/base/tendermint/v1beta1/node_info');
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({
      default_node_info: {
        protocol_version: { p2p: '8', block: '11', app: '0' },
        default_node_id: 'b1d3c0ffee',
        listen_addr: 'tcp://0.0.0.0:26656',
        network: 'ain-test-1',
        version: '0.38.26',
        channels: Buffer.from('40202122233038606100', 'hex').toString('base64'),
        moniker: 'node0',
        other: { tx_index: 'on', rpc_address: 'tcp://127.0.0.1:26657' },
      },
      application_version: {
        name: 'ain',
        app_name: 'aind',
        version: '9.9.9',
        git_commit: expect.stringMatching(/^([0-9a-f]{40})?$/),
        build_tags: '',
        go_version: `node ${process.version} ${process.platform}/${process.arch}`,
        build_deps: expect.arrayContaining([
          { path: 'github.com/cometbft/cometbft', version: 'v0.38.26', sum: '' },
          { path: 'cosmjs-types', version: 'v0.11.0', sum: '' },
        ]),
        cosmos_sdk_version: 'v0.53.4',
      },
    });
  });

  it('syncing', async () => {
    expect((await call('/cosmos/base/tendermint/v1beta1/syncing')).json).toEqual({ syncing: false });
  });

  it('blocks/latest: block_id, block with header and last commit, sdk_block with a valcons proposer', async () => {
    const reply = await call('/cosmos/base/tendermint/v1beta1/blocks/latest');
    expect(reply.status).toBe(200);
    expect(cometCalls.at(-1)).toEqual({ method: 'block', params: {} });
    const hex64 = (hex: string) => Buffer.from(hex, 'hex').toString('base64');
    expect(reply.json.block_id).toEqual({ hash: hex64(BLOCK_HASH), part_set_header: { total: 1, hash: hex64('D0'.repeat(32)) } });
    const header = reply.json.block.header;
    expect(header).toMatchObject({
      version: { block: '11', app: '0' },
      chain_id: 'ain-test-1',
      height: '42',
      time: '2024-05-01T12:00:00.123456789Z',
      last_block_id: { hash: hex64('E0'.repeat(32)), part_set_header: { total: 1, hash: hex64('F0'.repeat(32)) } },
      app_hash: hex64(APP_HASH),
      evidence_hash: null,
      proposer_address: hex64(PROPOSER),
    });
    expect(reply.json.block.data).toEqual({ txs: [b64(txBytes)] });
    expect(reply.json.block.evidence).toEqual({ evidence: [] });
    expect(reply.json.block.last_commit).toMatchObject({ height: '41', round: 0 });
    expect(reply.json.block.last_commit.signatures).toEqual([
      {
        block_id_flag: 'BLOCK_ID_FLAG_COMMIT',
        validator_address: hex64(PROPOSER),
        timestamp: '2024-05-01T11:59:59.500Z',
        signature: b64(new Uint8Array(64).fill(9)),
      },
      { block_id_flag: 'BLOCK_ID_FLAG_ABSENT', validator_address: null, timestamp: '0001-01-01T00:00:00Z', signature: null },
    ]);
    expect(reply.json.sdk_block.header.proposer_address).toBe(toBech32('ainvalcons', Buffer.from(PROPOSER, 'hex')));
    expect(reply.json.sdk_block.header.app_hash).toBe(hex64(APP_HASH));
  });

  it('blocks/{height} asks CometBFT for that height', async () => {
    const reply = await call('/cosmos/base/tendermint/v1beta1/blocks/7');
    expect(reply.status).toBe(200);
    expect(cometCalls.at(-1)).toEqual({ method: 'block', params: { height: '7' } });
    expect(reply.json.block.header).toMatchObject({
      chain_id: 'ain-test-1',
      height: '7',
      app_hash: Buffer.from(APP_HASH, 'hex').toString('base64'),
    });
    expect(reply.headers.get('grpc-metadata-x-cosmos-block-height')).toBe('7');
  });

  it('blocks/{height} refuses bad heights and passes on CometBFT refusals as 400', async () => {
    expectGatewayError(await call('/cosmos/base/tendermint/v1beta1/blocks/abc'), 400, 3, /not a positive integer/);
    expectGatewayError(await call('/cosmos/base/tendermint/v1beta1/blocks/0'), 400, 3);
    expectGatewayError(await call('/cosmos/base/tendermint/v1beta1/blocks/99999999999999999999'), 400, 3);
    expectGatewayError(
      await call('/cosmos/base/tendermint/v1beta1/blocks/999'),
      400,
      3,
      /must be less than or equal to the current blockchain height/,
    );
  });
});

describe('auth routes', () => {
  it('accounts/{address}: a BaseAccount with its public key, as the SDK prints it', async () => {
    const reply = await call(`/cosmos/auth/v1beta1/accounts/${alice}`);
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({
      account: {
        '@type': '/cosmos.auth.v1beta1.BaseAccount',
        address: alice,
        pub_key: { '@type': '/cosmos.crypto.secp256k1.PubKey', key: b64(aliceKey) },
        account_number: '0',
        sequence: '5',
      },
    });
    expect(reply.headers.get('grpc-metadata-x-cosmos-block-height')).toBe('42');
    expect(reply.headers.get('content-type')).toBe('application/json');
    const last = queryCalls.at(-1)!;
    expect(last.path).toBe('/cosmos.auth.v1beta1.Query/Account');
    expect(QueryAccountRequest.decode(last.data).address).toBe(alice);
  });

  it('accounts/{address}: an account without a key has pub_key null', async () => {
    const reply = await call(`/cosmos/auth/v1beta1/accounts/${bob}`);
    expect(reply.json.account).toEqual({
      '@type': '/cosmos.auth.v1beta1.BaseAccount',
      address: bob,
      pub_key: null,
      account_number: '1',
      sequence: '0',
    });
  });

  it('accounts/{address}: an unknown account is 404 with gRPC code 5 NotFound', async () => {
    const reply = await call(`/cosmos/auth/v1beta1/accounts/${stranger}`);
    expectGatewayError(reply, 404, 5, new RegExp(`account ${stranger} not found`));
    expect(reply.json.message).toMatch(/codespace sdk, code 22/);
  });

  it('accounts/{address}: an invalid address is 400 with the app codespace and code', async () => {
    const reply = await call('/cosmos/auth/v1beta1/accounts/cosmos1nope');
    expectGatewayError(reply, 400, 3, /invalid address \(codespace sdk, code 7\)$/);
  });

  it('params', async () => {
    const reply = await call('/cosmos/auth/v1beta1/params');
    expect(reply.json).toEqual({
      params: {
        max_memo_characters: '256',
        tx_sig_limit: '7',
        tx_size_cost_per_byte: '10',
        sig_verify_cost_ed25519: '0',
        sig_verify_cost_secp256k1: '1000',
      },
    });
  });
});

describe('bank routes', () => {
  it('balances/{address}', async () => {
    const reply = await call(`/cosmos/bank/v1beta1/balances/${alice}`);
    expect(reply.json).toEqual({ balances: [{ denom: 'uain', amount: '1000' }], pagination: { next_key: null, total: '1' } });
  });

  it('balances/{address}/by_denom?denom=', async () => {
    const reply = await call(`/cosmos/bank/v1beta1/balances/${alice}/by_denom?denom=uain`);
    expect(reply.json).toEqual({ balance: { denom: 'uain', amount: '1000' } });
    expect(QueryBalanceRequest.decode(queryCalls.at(-1)!.data)).toEqual({ address: alice, denom: 'uain' });
    expectGatewayError(await call(`/cosmos/bank/v1beta1/balances/${alice}/by_denom`), 400, 3, /invalid coins/);
  });

  it('spendable_balances/{address}', async () => {
    const reply = await call(`/cosmos/bank/v1beta1/spendable_balances/${alice}`);
    expect(reply.json).toEqual({ balances: [{ denom: 'uain', amount: '900' }], pagination: { next_key: null, total: '1' } });
  });

  it('supply, supply/by_denom?denom= and the older supply/{denom}', async () => {
    expect((await call('/cosmos/bank/v1beta1/supply')).json).toEqual({
      supply: [{ denom: 'uain', amount: '1000000000' }],
      pagination: { next_key: null, total: '1' },
    });
    expect((await call('/cosmos/bank/v1beta1/supply/by_denom?denom=uain')).json).toEqual({
      amount: { denom: 'uain', amount: '1000000000' },
    });
    expect((await call('/cosmos/bank/v1beta1/supply/uain')).json).toEqual({ amount: { denom: 'uain', amount: '1000000000' } });
  });
});

describe('feegrant routes', () => {
  const aliceToBobJson = {
    granter: alice,
    grantee: bob,
    allowance: {
      '@type': '/cosmos.feegrant.v1beta1.BasicAllowance',
      spend_limit: [{ denom: 'uain', amount: '500' }],
      expiration: '2030-01-01T00:00:00Z',
    },
  };

  it('allowance/{granter}/{grantee}: the grant with its allowance unpacked; none is 404', async () => {
    expect((await call(`/cosmos/feegrant/v1beta1/allowance/${alice}/${bob}`)).json).toEqual({ allowance: aliceToBobJson });
    expect(QueryAllowanceRequest.decode(queryCalls.at(-1)!.data)).toEqual({ granter: alice, grantee: bob });
    expectGatewayError(await call(`/cosmos/feegrant/v1beta1/allowance/${bob}/${alice}`), 404, 5, /fee-grant not found/);
  });

  it('allowances/{grantee} and issued/{granter}, paged', async () => {
    const byGrantee = await call(`/cosmos/feegrant/v1beta1/allowances/${bob}?pagination.limit=5`);
    expect(byGrantee.json).toEqual({ allowances: [aliceToBobJson], pagination: { next_key: null, total: '0' } });
    expect(QueryAllowancesRequest.decode(queryCalls.at(-1)!.data).pagination?.limit).toBe(5n);
    expect((await call(`/cosmos/feegrant/v1beta1/issued/${alice}`)).json.allowances).toEqual([aliceToBobJson]);
    expect(QueryAllowancesByGranterRequest.decode(queryCalls.at(-1)!.data).granter).toBe(alice);
    expectGatewayError(await call('/cosmos/feegrant/v1beta1/allowances/ain-not'), 400, 3, /invalid address/);
  });
});

describe('tx routes', () => {
  it('simulate: gas_info and result', async () => {
    const reply = await post('/cosmos/tx/v1beta1/simulate', { tx_bytes: b64(txBytes) });
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({
      gas_info: { gas_wanted: '0', gas_used: '51234' },
      result: {
        data: null,
        log: '',
        events: [{ type: 'transfer', attributes: [{ key: 'amount', value: '5uain', index: true }] }],
        msg_responses: [{ '@type': '/cosmos.bank.v1beta1.MsgSendResponse' }],
      },
    });
    const last = queryCalls.at(-1)!;
    expect(last.path).toBe('/cosmos.tx.v1beta1.Service/Simulate');
    expect(SimulateRequest.decode(last.data).txBytes).toEqual(txBytes);
  });

  it('simulate: a failing tx is 400 with the app error', async () => {
    const reply = await post('/cosmos/tx/v1beta1/simulate', { tx_bytes: b64(new Uint8Array([0xff, 1])) });
    expectGatewayError(reply, 400, 3, /insufficient funds \(codespace sdk, code 5\)$/);
  });

  it('simulate: bad bodies are 400 with a clear message', async () => {
    expectGatewayError(await post('/cosmos/tx/v1beta1/simulate', {}), 400, 3, /tx_bytes.*required/);
    expectGatewayError(await post('/cosmos/tx/v1beta1/simulate', ''), 400, 3, /tx_bytes.*required/);
    expectGatewayError(await post('/cosmos/tx/v1beta1/simulate', { tx: { body: {} } }), 400, 3, /deprecated "tx" field/);
    expectGatewayError(await post('/cosmos/tx/v1beta1/simulate', { tx_bytes: '!!not base64!!' }), 400, 3, /not valid base64/);
    expectGatewayError(await post('/cosmos/tx/v1beta1/simulate', { tx_bytes: 12 }), 400, 3, /base64 string/);
    expectGatewayError(await post('/cosmos/tx/v1beta1/simulate', '{"tx_bytes": '), 400, 3, /not valid JSON/);
    expectGatewayError(await post('/cosmos/tx/v1beta1/simulate', '[1,2]'), 400, 3, /must be a JSON object/);
    expectGatewayError(await post('/cosmos/tx/v1beta1/simulate', 'null'), 400, 3, /must be a JSON object/);
  });

  it('a body over the limit is 413, the connection closed, and the server keeps serving', async () => {
    const big = JSON.stringify({ tx_bytes: 'A'.repeat(200 * 1024) });
    const first = await post('/cosmos/tx/v1beta1/simulate', big);
    expectGatewayError(first, 413, 8, /larger than the limit of 65536 bytes/);
    expect(first.headers.get('connection')).toBe('close');
    const huge = JSON.stringify({ tx_bytes: 'A'.repeat(2 * 1024 * 1024) });
    const reply = await post('/cosmos/tx/v1beta1/txs', huge);
    expectGatewayError(reply, 413, 8, /larger than the limit/);
    expect(reply.headers.get('connection')).toBe('close');
    expect((await call('/cosmos/auth/v1beta1/params')).status).toBe(200);
  });

  it('txs BROADCAST_MODE_SYNC: CheckTx result in tx_response', async () => {
    const reply = await post('/cosmos/tx/v1beta1/txs', { tx_bytes: b64(txBytes), mode: 'BROADCAST_MODE_SYNC' });
    expect(reply.status).toBe(200);
    expect(cometCalls.at(-1)).toEqual({ method: 'broadcast_tx_sync', params: { tx: b64(txBytes) } });
    expect(reply.json).toEqual({
      tx_response: {
        height: '0',
        txhash: TX_HASH,
        codespace: '',
        code: 0,
        data: '',
        raw_log: '',
        logs: [],
        info: '',
        gas_wanted: '0',
        gas_used: '0',
        tx: null,
        timestamp: '',
        events: [],
      },
    });
  });

  it('txs: a CheckTx failure is a 200 with the code and raw_log', async () => {
    const reply = await post('/cosmos/tx/v1beta1/txs', { tx_bytes: b64(new Uint8Array([0xff, 2])), mode: 'BROADCAST_MODE_SYNC' });
    expect(reply.status).toBe(200);
    expect(reply.json.tx_response).toMatchObject({
      code: 5,
      codespace: 'sdk',
      raw_log: '10uain is smaller than 99uain: insufficient funds',
      txhash: TX_HASH,
    });
  });

  it('txs BROADCAST_MODE_ASYNC, and a tx already in the mempool cache as code 19', async () => {
    const reply = await post('/cosmos/tx/v1beta1/txs', { tx_bytes: b64(txBytes), mode: 'BROADCAST_MODE_ASYNC' });
    expect(cometCalls.at(-1)!.method).toBe('broadcast_tx_async');
    expect(reply.json.tx_response).toMatchObject({ code: 0, txhash: TX_HASH, height: '0' });

    const cached = new Uint8Array([0xee, 1, 2]);
    const again = await post('/cosmos/tx/v1beta1/txs', { tx_bytes: b64(cached), mode: 'BROADCAST_MODE_SYNC' });
    expect(again.status).toBe(200);
    const { createHash } = await import('node:crypto');
    expect(again.json.tx_response).toMatchObject({
      code: 19,
      codespace: 'sdk',
      txhash: createHash('sha256').update(cached).digest('hex').toUpperCase(),
      raw_log: 'tx already exists in cache',
    });
  });

  it('txs: unsupported or missing modes are 400', async () => {
    expectGatewayError(
      await post('/cosmos/tx/v1beta1/txs', { tx_bytes: b64(txBytes), mode: 'BROADCAST_MODE_BLOCK' }),
      400,
      3,
      /BROADCAST_MODE_BLOCK is not supported/,
    );
    expectGatewayError(await post('/cosmos/tx/v1beta1/txs', { tx_bytes: b64(txBytes) }), 400, 3, /unsupported broadcast mode/);
    expectGatewayError(await post('/cosmos/tx/v1beta1/txs', { mode: 'BROADCAST_MODE_SYNC' }), 400, 3, /tx_bytes/);
  });

  it('txs/{hash}: the indexed tx with its result, events, block time and decoded tx', async () => {
    const reply = await call(`/cosmos/tx/v1beta1/txs/${TX_HASH.toLowerCase()}`);
    expect(reply.status).toBe(200);
    expect(cometCalls.at(-2)).toEqual({ method: 'tx', params: { hash: Buffer.from(TX_HASH, 'hex').toString('base64'), prove: false } });
    const decodedTx = {
      body: {
        messages: [
          { '@type': '/cosmos.bank.v1beta1.MsgSend', from_address: alice, to_address: bob, amount: [{ denom: 'uain', amount: '5' }] },
        ],
        memo: 'hi',
        timeout_height: '0',
        extension_options: [],
        non_critical_extension_options: [],
      },
      auth_info: {
        signer_infos: [
          {
            public_key: { '@type': '/cosmos.crypto.secp256k1.PubKey', key: b64(aliceKey) },
            mode_info: { single: { mode: 'SIGN_MODE_DIRECT' } },
            sequence: '5',
          },
        ],
        fee: { amount: [{ denom: 'uain', amount: '200' }], gas_limit: '200000', payer: '', granter: '' },
      },
      signatures: [b64(new Uint8Array(64).fill(7))],
    };
    expect(reply.json.tx).toMatchObject(decodedTx);
    expect(reply.json.tx_response).toMatchObject({
      height: '12',
      txhash: TX_HASH,
      codespace: '',
      code: 0,
      data: '1234',
      raw_log: '',
      logs: [],
      info: '',
      gas_wanted: '200000',
      gas_used: '51234',
      timestamp: '2024-05-01T12:00:00Z',
      events: [{ type: 'transfer', attributes: [{ key: 'recipient', value: bob, index: true }] }],
    });
    expect(reply.json.tx_response.tx).toMatchObject({ '@type': '/cosmos.tx.v1beta1.Tx', ...decodedTx });
  });

  it('txs/{hash}: an unknown hash is 404 NotFound, a malformed one 400', async () => {
    expectGatewayError(await call(`/cosmos/tx/v1beta1/txs/0x${'CD'.repeat(32)}`), 404, 5, new RegExp(`tx not found: ${'CD'.repeat(32)}`));
    expectGatewayError(await call('/cosmos/tx/v1beta1/txs/xyz'), 400, 3, /64 hex characters/);
  });
});

describe('http behaviour', () => {
  it('answers a CORS preflight on any path', async () => {
    const reply = await call('/cosmos/tx/v1beta1/txs', {
      method: 'OPTIONS',
      headers: {
        origin: 'chrome-extension://keplr',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(reply.status).toBe(204);
    expect(reply.headers.get('access-control-allow-origin')).toBe('*');
    expect(reply.headers.get('access-control-allow-methods')).toBe('GET, POST, OPTIONS');
    expect(reply.headers.get('access-control-allow-headers')).toBe('content-type');
  });

  it('puts CORS headers on answers and errors alike', async () => {
    for (const path of ['/cosmos/auth/v1beta1/params', `/cosmos/auth/v1beta1/accounts/${stranger}`, '/nope']) {
      const reply = await call(path, { headers: { origin: 'https://wallet.example' } });
      expect(reply.headers.get('access-control-allow-origin')).toBe('*');
      expect(reply.headers.get('access-control-expose-headers')).toBe('Grpc-Metadata-X-Cosmos-Block-Height');
    }
  });

  it('an unknown route is 501 Not Implemented, as the gateway answers; a wrong method 405', async () => {
    const unknown = await call('/cosmos/circuit/v1/accounts');
    expect(unknown.status).toBe(501);
    expect(unknown.json).toEqual({ code: 12, message: 'Not Implemented', details: [] });
    const wrong = await post('/cosmos/auth/v1beta1/params', {});
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET, OPTIONS');
    const wrong2 = await call('/cosmos/tx/v1beta1/simulate');
    expect(wrong2.status).toBe(405);
  });

  it('tolerates a trailing slash and rejects bad percent-encoding', async () => {
    expect((await call('/cosmos/auth/v1beta1/params/')).status).toBe(200);
    expectGatewayError(await call('/cosmos/auth/v1beta1/accounts/%E0%A4%A'), 400, 3, /percent-encoding/);
  });

  it('x-cosmos-block-height: the latest height or 0 is served, another one refused', async () => {
    expect((await call('/cosmos/auth/v1beta1/params', { headers: { 'x-cosmos-block-height': '42' } })).status).toBe(200);
    expect((await call('/cosmos/auth/v1beta1/params', { headers: { 'x-cosmos-block-height': '0' } })).status).toBe(200);
    expectGatewayError(
      await call('/cosmos/auth/v1beta1/params', { headers: { 'x-cosmos-block-height': '7' } }),
      400,
      3,
      /height 7 is not available/,
    );
    expectGatewayError(await call('/cosmos/auth/v1beta1/params', { headers: { 'x-cosmos-block-height': 'soon' } }), 400, 3, /not a height/);
  });

  it('survives bytes that are not HTTP at all', async () => {
    const { port } = new URL(rest.url);
    const answer = await new Promise<string>((resolve) => {
      const socket = connect(Number(port), '127.0.0.1', () => socket.end('\u0000\u0001 GARBAGE\r\n\r\n'));
      let text = '';
      socket.on('data', (chunk) => (text += chunk.toString()));
      socket.on('error', () => {});
      socket.on('close', () => resolve(text));
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400/);
    expect((await call('/cosmos/auth/v1beta1/params')).status).toBe(200);
  });

  it('survives a client that hangs up in the middle of its body', async () => {
    const { port } = new URL(rest.url);
    await new Promise<void>((resolve) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write('POST /cosmos/tx/v1beta1/txs HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"tx_bytes":');
        setTimeout(() => socket.destroy(), 50);
      });
      socket.on('error', () => {});
      socket.on('close', () => resolve());
    });
    expect((await call('/cosmos/auth/v1beta1/params')).status).toBe(200);
  });
});

describe('failures around the server', () => {
  it('a query that throws is a 500 without internals, and is logged', async () => {
    const server = await startRestServer({
      host: '127.0.0.1',
      routes: MODULE_SET.restRoutes,
      port: 0,
      query: () => {
        throw new Error('secret internals');
      },
      cometRpcUrl: 'http://127.0.0.1:1',
      logger: { debug() {}, info() {}, error: (message, fields) => logged.push({ message, ...(fields ? { fields } : {}) }) },
    });
    try {
      const response = await fetch(`${server.url}/cosmos/auth/v1beta1/params`);
      expect(response.status).toBe(500);
      expect(await response.json()).toEqual({ code: 13, message: 'internal error', details: [] });
      expect(
        logged.some((entry) => entry.message === 'rest request failed' && String(entry.fields?.['error']).includes('secret internals')),
      ).toBe(true);
      expect((await fetch(`${server.url}/cosmos/auth/v1beta1/params`)).status).toBe(500);
    } finally {
      await server.close();
      await server.close();
    }
  });

  it('an unreachable CometBFT is 503 Unavailable', async () => {
    const server = await startRestServer({
      host: '127.0.0.1',
      routes: MODULE_SET.restRoutes,
      port: 0,
      query: fakeQuery,
      cometRpcUrl: 'http://127.0.0.1:1',
      cometTimeoutMs: 2000,
    });
    try {
      const response = await fetch(`${server.url}/cosmos/base/tendermint/v1beta1/node_info`);
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ code: 14, details: [] });
    } finally {
      await server.close();
    }
  });

  it('defaults application_version.version to package.json', async () => {
    const server = await startRestServer({
      host: '127.0.0.1',
      routes: MODULE_SET.restRoutes,
      port: 0,
      query: fakeQuery,
      cometRpcUrl: `http://127.0.0.1:${(comet.address() as AddressInfo).port}`,
    });
    try {
      const { createRequire } = await import('node:module');
      const pkg = createRequire(import.meta.url)('../../package.json') as { version: string };
      const body = (await (await fetch(`${server.url}/cosmos/base/tendermint/v1beta1/node_info`)).json()) as {
        application_version: { version: string };
      };
      expect(body.application_version.version).toBe(pkg.version);
    } finally {
      await server.close();
    }
  });
});
