/**
 * The REST (LCD) routes Cosmos wallets and explorers call, walked against a real node with traffic
 * (250 bank sends from 10 accounts, a delegation and an unbonding, 120 funded accounts): each route
 * answers with the status and the proto3 JSON shape of the Cosmos SDK's gateway (the top-level fields
 * of its response message, and of its list items), tx search pages through the 250 sends both ways
 * with page/limit and with the older pagination fields, the accounts page through by next_key both
 * ways and by offset, gov answers with no proposal yet and its default params, unknown routes answer 501 in the
 * gateway's error shape, and the genesis economics read like a real chain's.
 */
import {
  Bech32PrefixResponse,
  QueryAccountResponse,
  QueryAccountsResponse,
  QueryParamsResponse as AuthParams,
} from 'cosmjs-types/cosmos/auth/v1beta1/query';
import * as bank from 'cosmjs-types/cosmos/bank/v1beta1/query';
import * as tendermint from 'cosmjs-types/cosmos/base/tendermint/v1beta1/query';
import * as distribution from 'cosmjs-types/cosmos/distribution/v1beta1/query';
import * as gov1 from 'cosmjs-types/cosmos/gov/v1/query';
import * as gov1beta1 from 'cosmjs-types/cosmos/gov/v1beta1/query';
import * as mint from 'cosmjs-types/cosmos/mint/v1beta1/query';
import * as nft from 'cosmjs-types/cosmos/nft/v1beta1/query';
import * as params from 'cosmjs-types/cosmos/params/v1beta1/query';
import * as slashing from 'cosmjs-types/cosmos/slashing/v1beta1/query';
import * as staking from 'cosmjs-types/cosmos/staking/v1beta1/query';
import { MsgDelegate, MsgUndelegate } from 'cosmjs-types/cosmos/staking/v1beta1/tx';
import { TxResponse } from 'cosmjs-types/cosmos/base/abci/v1beta1/abci';
import * as tx from 'cosmjs-types/cosmos/tx/v1beta1/service';
import * as upgrade from 'cosmjs-types/cosmos/upgrade/v1beta1/query';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withBlockEconomics } from '../app/index.ts';
import { type JsonCodec, toProtoJson } from '../core/index.ts';
import { startTestNode, type TestAccount, type TestNode } from './helpers/node.ts';
import { sendMsg, signTx } from './helpers/tx.ts';

const ACCOUNTS = 120;
const SENDERS = 10;
const SENDS_EACH = 25;
const SEND_ACTION = "message.action='/cosmos.bank.v1beta1.MsgSend'";

// biome-ignore lint/suspicious/noExplicitAny: proto3 JSON, read field by field
type Json = Record<string, any>;
/** A response codec of cosmjs-types: what printing it as the gateway does needs. */
type Codec = JsonCodec<unknown> & { fromPartial(value: never): unknown };

let node: TestNode;
let valoper: string;
let valcons: string;
let delegator: TestAccount;
let sendHeight = 0;
const sendHashes = new Set<string>();

async function get(path: string, init?: RequestInit): Promise<{ status: number; json: Json; headers: Headers }> {
  const response = await fetch(`${node.apiUrl}${path}`, init);
  const text = await response.text();
  return { status: response.status, json: text === '' ? {} : (JSON.parse(text) as Json), headers: response.headers };
}

async function ok(path: string): Promise<Json> {
  const reply = await get(path);
  expect(reply.status, `${path}: ${JSON.stringify(reply.json)}`).toBe(200);
  return reply.json;
}

/** The top-level fields the SDK's gateway prints for a message (proto3 JSON with defaults emitted). */
function fieldsOf(codec: Codec): string[] {
  return Object.keys(toProtoJson(codec, codec.fromPartial({} as never)) as object).sort();
}

function expectShape(path: string, body: Json, codec: Codec): void {
  expect(Object.keys(body).sort(), path).toEqual(fieldsOf(codec));
}

async function broadcast(bytes: Uint8Array): Promise<string> {
  const reply = await get('/cosmos/tx/v1beta1/txs', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ tx_bytes: Buffer.from(bytes).toString('base64'), mode: 'BROADCAST_MODE_SYNC' }),
  });
  expect(reply.status).toBe(200);
  expect(reply.json['tx_response']['code'], reply.json['tx_response']['raw_log']).toBe(0);
  return reply.json['tx_response']['txhash'] as string;
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const accountNumber = async (address: string) =>
  BigInt((await ok(`/cosmos/auth/v1beta1/accounts/${address}`))['account']['account_number'] as string);

beforeAll(async () => {
  node = await startTestNode({ accounts: ACCOUNTS, appState: (state) => withBlockEconomics(state, 200) });
  valoper = node.validator.operatorAddress;
  valcons = ((await ok('/cosmos/base/tendermint/v1beta1/validatorsets/latest'))['validators'][0]['address'] as string) ?? '';
  const chainId = node.chainId;

  // 250 sends: 10 senders, 25 each, interleaved, broadcast through REST.
  const senders = node.accounts.slice(0, SENDERS);
  const numbers = await Promise.all(senders.map((s) => accountNumber(s.address)));
  for (let sequence = 0; sequence < SENDS_EACH; sequence++) {
    for (const [i, sender] of senders.entries()) {
      const to = node.accounts[SENDERS + ((i * SENDS_EACH + sequence) % (ACCOUNTS - SENDERS))]!.address;
      const bytes = signTx({
        key: sender,
        messages: [sendMsg(sender.address, to, String(1 + sequence))],
        chainId,
        accountNumber: numbers[i]!,
        sequence: BigInt(sequence),
      });
      sendHashes.add(await broadcast(bytes));
    }
  }
  // A delegation, then part of it unbonding, from an account that did not send.
  delegator = node.accounts[SENDERS]!;
  const number = await accountNumber(delegator.address);
  const stakeMsg = (type: 'delegate' | 'undelegate', amount: string) =>
    type === 'delegate'
      ? {
          typeUrl: '/cosmos.staking.v1beta1.MsgDelegate',
          value: MsgDelegate.encode({
            delegatorAddress: delegator.address,
            validatorAddress: valoper,
            amount: { denom: 'uain', amount },
          }).finish(),
        }
      : {
          typeUrl: '/cosmos.staking.v1beta1.MsgUndelegate',
          value: MsgUndelegate.encode({
            delegatorAddress: delegator.address,
            validatorAddress: valoper,
            amount: { denom: 'uain', amount },
          }).finish(),
        };
  const fee = [{ denom: 'uain', amount: '12500' }];
  const delegated = await broadcast(
    signTx({
      key: delegator,
      messages: [stakeMsg('delegate', '5000000')],
      chainId,
      accountNumber: number,
      sequence: 0n,
      fee,
      gasLimit: 500_000n,
    }),
  );
  await waitFor('the delegation', async () => ((await get(`/cosmos/tx/v1beta1/txs/${delegated}`)).status === 200 ? true : undefined));
  await broadcast(
    signTx({
      key: delegator,
      messages: [stakeMsg('undelegate', '1000000')],
      chainId,
      accountNumber: number,
      sequence: 1n,
      fee,
      gasLimit: 500_000n,
    }),
  );
  sendHeight = await waitFor('the 250 sends', async () => {
    const body = await ok(`/cosmos/tx/v1beta1/txs?query=${encodeURIComponent(SEND_ACTION)}&limit=1&order_by=ORDER_BY_DESC`);
    return body['total'] === String(SENDERS * SENDS_EACH) ? Number(body['tx_responses'][0]['height']) : undefined;
  });
  await waitFor('the unbonding', async () =>
    ((await ok(`/cosmos/staking/v1beta1/delegators/${delegator.address}/unbonding_delegations`))['unbonding_responses'] as unknown[])
      .length > 0
      ? true
      : undefined,
  );
}, 180_000);

afterAll(async () => {
  await node?.stop();
});

describe('the REST routes wallets and explorers call', () => {
  it('answers every route with the status and shape of the SDK gateway', async () => {
    const d = delegator.address;
    const someone = node.accounts[0]!.address;
    const routes: Array<[string, Codec]> = [
      ['/cosmos/base/tendermint/v1beta1/node_info', tendermint.GetNodeInfoResponse],
      ['/cosmos/base/tendermint/v1beta1/syncing', tendermint.GetSyncingResponse],
      ['/cosmos/base/tendermint/v1beta1/blocks/latest', tendermint.GetLatestBlockResponse],
      [`/cosmos/base/tendermint/v1beta1/blocks/${sendHeight}`, tendermint.GetBlockByHeightResponse],
      ['/cosmos/base/tendermint/v1beta1/validatorsets/latest?pagination.limit=10', tendermint.GetLatestValidatorSetResponse],
      [`/cosmos/base/tendermint/v1beta1/validatorsets/${sendHeight}`, tendermint.GetValidatorSetByHeightResponse],
      ['/cosmos/auth/v1beta1/accounts?pagination.limit=3', QueryAccountsResponse],
      [`/cosmos/auth/v1beta1/accounts/${someone}`, QueryAccountResponse],
      ['/cosmos/auth/v1beta1/params', AuthParams],
      ['/cosmos/auth/v1beta1/bech32', Bech32PrefixResponse],
      [`/cosmos/bank/v1beta1/balances/${someone}`, bank.QueryAllBalancesResponse],
      [`/cosmos/bank/v1beta1/balances/${someone}/by_denom?denom=uain`, bank.QueryBalanceResponse],
      [`/cosmos/bank/v1beta1/spendable_balances/${someone}`, bank.QuerySpendableBalancesResponse],
      ['/cosmos/bank/v1beta1/supply', bank.QueryTotalSupplyResponse],
      ['/cosmos/bank/v1beta1/supply/by_denom?denom=uain', bank.QuerySupplyOfResponse],
      ['/cosmos/bank/v1beta1/supply/uain', bank.QuerySupplyOfResponse],
      ['/cosmos/bank/v1beta1/denoms_metadata', bank.QueryDenomsMetadataResponse],
      ['/cosmos/bank/v1beta1/denoms_metadata/uain', bank.QueryDenomMetadataResponse],
      ['/cosmos/bank/v1beta1/denoms_metadata_by_query_string?denom=uain', bank.QueryDenomMetadataByQueryStringResponse],
      ['/cosmos/bank/v1beta1/params', bank.QueryParamsResponse],
      [`/cosmos/distribution/v1beta1/delegators/${d}/rewards`, distribution.QueryDelegationTotalRewardsResponse],
      [`/cosmos/distribution/v1beta1/delegators/${d}/rewards/${valoper}`, distribution.QueryDelegationRewardsResponse],
      [`/cosmos/distribution/v1beta1/delegators/${d}/validators`, distribution.QueryDelegatorValidatorsResponse],
      [`/cosmos/distribution/v1beta1/delegators/${d}/withdraw_address`, distribution.QueryDelegatorWithdrawAddressResponse],
      [`/cosmos/distribution/v1beta1/validators/${valoper}`, distribution.QueryValidatorDistributionInfoResponse],
      [`/cosmos/distribution/v1beta1/validators/${valoper}/commission`, distribution.QueryValidatorCommissionResponse],
      [`/cosmos/distribution/v1beta1/validators/${valoper}/outstanding_rewards`, distribution.QueryValidatorOutstandingRewardsResponse],
      [`/cosmos/distribution/v1beta1/validators/${valoper}/slashes`, distribution.QueryValidatorSlashesResponse],
      ['/cosmos/distribution/v1beta1/community_pool', distribution.QueryCommunityPoolResponse],
      ['/cosmos/distribution/v1beta1/params', distribution.QueryParamsResponse],
      ['/cosmos/mint/v1beta1/inflation', mint.QueryInflationResponse],
      ['/cosmos/mint/v1beta1/annual_provisions', mint.QueryAnnualProvisionsResponse],
      ['/cosmos/mint/v1beta1/params', mint.QueryParamsResponse],
      ['/cosmos/staking/v1beta1/validators?status=BOND_STATUS_BONDED&pagination.limit=300', staking.QueryValidatorsResponse],
      [`/cosmos/staking/v1beta1/validators/${valoper}`, staking.QueryValidatorResponse],
      [`/cosmos/staking/v1beta1/validators/${valoper}/delegations`, staking.QueryValidatorDelegationsResponse],
      [`/cosmos/staking/v1beta1/validators/${valoper}/delegations/${d}`, staking.QueryDelegationResponse],
      [`/cosmos/staking/v1beta1/validators/${valoper}/delegations/${d}/unbonding_delegation`, staking.QueryUnbondingDelegationResponse],
      [`/cosmos/staking/v1beta1/validators/${valoper}/unbonding_delegations`, staking.QueryValidatorUnbondingDelegationsResponse],
      [`/cosmos/staking/v1beta1/delegations/${d}`, staking.QueryDelegatorDelegationsResponse],
      [`/cosmos/staking/v1beta1/delegators/${d}/unbonding_delegations`, staking.QueryDelegatorUnbondingDelegationsResponse],
      [`/cosmos/staking/v1beta1/delegators/${d}/redelegations`, staking.QueryRedelegationsResponse],
      [`/cosmos/staking/v1beta1/delegators/${d}/validators`, staking.QueryDelegatorValidatorsResponse],
      ['/cosmos/staking/v1beta1/pool', staking.QueryPoolResponse],
      ['/cosmos/staking/v1beta1/params', staking.QueryParamsResponse],
      ['/cosmos/slashing/v1beta1/signing_infos?pagination.limit=300', slashing.QuerySigningInfosResponse],
      [`/cosmos/slashing/v1beta1/signing_infos/${valcons}`, slashing.QuerySigningInfoResponse],
      ['/cosmos/slashing/v1beta1/params', slashing.QueryParamsResponse],
      ['/cosmos/nft/v1beta1/classes', nft.QueryClassesResponse],
      [`/cosmos/nft/v1beta1/nfts?owner=${someone}`, nft.QueryNFTsResponse],
      [`/cosmos/nft/v1beta1/balance/${someone}/none`, nft.QueryBalanceResponse],
      ['/cosmos/nft/v1beta1/supply/none', nft.QuerySupplyResponse],
      ['/cosmos/upgrade/v1beta1/current_plan', upgrade.QueryCurrentPlanResponse],
      ['/cosmos/upgrade/v1beta1/applied_plan/v2', upgrade.QueryAppliedPlanResponse],
      ['/cosmos/params/v1beta1/params?subspace=staking&key=MaxValidators', params.QueryParamsResponse],
      ['/cosmos/params/v1beta1/subspaces', params.QuerySubspacesResponse],
      ['/cosmos/gov/v1/proposals?proposal_status=PROPOSAL_STATUS_VOTING_PERIOD&pagination.reverse=true', gov1.QueryProposalsResponse],
      ['/cosmos/gov/v1beta1/proposals?pagination.limit=20', gov1beta1.QueryProposalsResponse],
      ...['voting', 'tallying', 'deposit'].flatMap(
        (type): Array<[string, Codec]> => [
          [`/cosmos/gov/v1/params/${type}`, gov1.QueryParamsResponse],
          [`/cosmos/gov/v1beta1/params/${type}`, gov1beta1.QueryParamsResponse],
        ],
      ),
      [`/cosmos/tx/v1beta1/txs?query=${encodeURIComponent(SEND_ACTION)}&limit=5`, tx.GetTxsEventResponse],
      [`/cosmos/tx/v1beta1/txs/block/${sendHeight}`, tx.GetBlockWithTxsResponse],
      [`/cosmos/tx/v1beta1/txs/${[...sendHashes][0]}`, tx.GetTxResponse],
    ];
    for (const [path, codec] of routes) expectShape(path, await ok(path), codec);

    // List items have their message's shape too.
    const txs = await ok(`/cosmos/tx/v1beta1/txs?query=${encodeURIComponent(SEND_ACTION)}&limit=3`);
    for (const item of txs['tx_responses'] as Json[]) expect(Object.keys(item).sort()).toEqual(fieldsOf(TxResponse));
    const sets = await ok('/cosmos/base/tendermint/v1beta1/validatorsets/latest');
    expect(sets['validators'][0]).toMatchObject({
      address: expect.stringMatching(/^ainvalcons1/),
      pub_key: { '@type': '/cosmos.crypto.ed25519.PubKey' },
    });
    expect(sets['pagination']).toEqual({ next_key: null, total: '1' });
  });

  it('node_info names the app, its version and commit, and the Cosmos SDK route set it follows', async () => {
    const version = (await ok('/cosmos/base/tendermint/v1beta1/node_info'))['application_version'];
    expect(version).toMatchObject({ name: 'ain', app_name: 'aind', cosmos_sdk_version: expect.stringMatching(/^v0\.5\d\.\d+$/) });
    expect(version['version']).not.toBe('');
    expect(version['go_version']).toMatch(/^node v\d+/);
    expect((version['build_deps'] as Json[]).map((dep) => dep['path'])).toContain('github.com/cometbft/cometbft');
  });

  it('shows uain as AIN with 6 decimals, and inflation and APR a wallet would believe', async () => {
    const metadata = (await ok('/cosmos/bank/v1beta1/denoms_metadata/uain'))['metadata'];
    expect(metadata).toMatchObject({ base: 'uain', display: 'ain', symbol: 'AIN' });
    expect(metadata['denom_units']).toEqual([
      { denom: 'uain', exponent: 0, aliases: ['microain'] },
      { denom: 'ain', exponent: 6, aliases: [] },
    ]);
    const inflation = Number((await ok('/cosmos/mint/v1beta1/inflation'))['inflation']);
    expect(inflation).toBeGreaterThan(0.07);
    expect(inflation).toBeLessThan(0.13);
    expect((await ok('/cosmos/mint/v1beta1/params'))['params']['blocks_per_year']).toBe(String(31_557_600_000 / 200));
  });

  it('pages through the 250 sends with page/limit and with the older pagination fields, both ways', async () => {
    const walk = async (order: string, url: (page: number) => string) => {
      const seen: string[] = [];
      for (let page = 1; page < 10; page++) {
        const body = await ok(`/cosmos/tx/v1beta1/txs?query=${encodeURIComponent(SEND_ACTION)}&order_by=${order}&${url(page)}`);
        expect(body['total']).toBe('250');
        expect(body['pagination']).toBeNull();
        expect(body['txs']).toHaveLength(body['tx_responses'].length);
        seen.push(...(body['tx_responses'] as Json[]).map((r) => r['txhash'] as string));
        if ((body['tx_responses'] as Json[]).length === 0) break;
      }
      return seen;
    };
    const asc = await walk('ORDER_BY_ASC', (page) => `page=${page}&limit=100`);
    expect(asc).toHaveLength(250);
    expect(new Set(asc)).toEqual(sendHashes);
    // The explorer's form: a repeated order_by takes its last value; pagination.offset/limit.
    const desc = await walk('2&order_by=ORDER_BY_DESC', (page) => `pagination.limit=60&pagination.offset=${(page - 1) * 60}`);
    expect(desc).toEqual([...asc].reverse());
    // The older events= form, AND-ed.
    const sender = node.accounts[0]!.address;
    const bySender = await ok(
      `/cosmos/tx/v1beta1/txs?events=${encodeURIComponent(SEND_ACTION)}&events=message.sender='${sender}'&limit=100`,
    );
    expect(bySender['total']).toBe(String(SENDS_EACH));
    const received = await ok(
      `/cosmos/tx/v1beta1/txs?query=${encodeURIComponent(`coin_received.receiver='${node.accounts[SENDERS + 1]!.address}'`)}`,
    );
    expect(Number(received['total'])).toBeGreaterThan(0);
    const delegations = await ok(`/cosmos/tx/v1beta1/txs?query=${encodeURIComponent(`delegate.validator='${valoper}'`)}`);
    expect(delegations['total']).toBe('1');
  });

  it('pages through the accounts by next_key both ways, and by offset with the total', async () => {
    const walk = async (reverse: boolean) => {
      const seen: string[] = [];
      let key = '';
      for (let i = 0; i < 100; i++) {
        const body = await ok(
          `/cosmos/auth/v1beta1/accounts?pagination.limit=25&pagination.reverse=${reverse}&pagination.key=${encodeURIComponent(key)}`,
        );
        expect((body['accounts'] as Json[]).length).toBeLessThanOrEqual(25);
        seen.push(...(body['accounts'] as Json[]).map((a) => a['address'] as string));
        if (body['pagination']['next_key'] === null) return seen;
        key = body['pagination']['next_key'] as string;
      }
      throw new Error('no last page');
    };
    const forwards = await walk(false);
    expect(forwards).toEqual(expect.arrayContaining(node.accounts.map((a) => a.address)));
    expect(forwards.length).toBeGreaterThanOrEqual(ACCOUNTS);
    expect(new Set(forwards).size).toBe(forwards.length);
    expect(await walk(true)).toEqual([...forwards].reverse());
    const counted = await ok('/cosmos/auth/v1beta1/accounts?pagination.offset=100&pagination.limit=10&pagination.count_total=true');
    expect((counted['accounts'] as Json[]).map((a) => a['address'])).toEqual(forwards.slice(100, 110));
    expect(counted['pagination']['total']).toBe(String(forwards.length));
    const both = await get('/cosmos/auth/v1beta1/accounts?pagination.offset=1&pagination.key=YQ==');
    expect(both.status).toBe(400);
  });

  it('lists the module accounts and finds one by name (the gov authority)', async () => {
    const gov = {
      '@type': '/cosmos.auth.v1beta1.ModuleAccount',
      base_account: { address: 'ain10d07y265gmmuvt4z0w9aw880jnsr700jttn82z', pub_key: null, account_number: '0', sequence: '0' },
      name: 'gov',
      permissions: [],
    };
    expect(await ok('/cosmos/auth/v1beta1/module_accounts/gov')).toEqual({ account: gov });
    const all = (await ok('/cosmos/auth/v1beta1/module_accounts'))['accounts'] as Json[];
    expect(all.map((account) => account['name'])).toEqual([...all.map((account) => account['name'])].sort());
    expect(all.map((account) => account['name'])).toEqual(expect.arrayContaining(['bonded_tokens_pool', 'fee_collector', 'gov', 'jobs']));
    expect(all).toContainEqual(gov);
    // The fee collector holds an account from genesis, so it has a number.
    const fees = all.find((account) => account['name'] === 'fee_collector')!;
    expect(fees['base_account']['account_number']).not.toBe('0');
  });

  it("answers what a module does not have with 404 / gRPC NotFound, as the SDK's gateway does", async () => {
    for (const path of [
      '/ain/shards/v1/shards/nope',
      '/ain/channels/v1/channels/7',
      '/ain/committee/v1/proposals/9',
      '/cosmos/auth/v1beta1/module_accounts/nope',
    ]) {
      const missing = await get(path);
      expect([path, missing.status, missing.json['code']]).toEqual([path, 404, 5]);
    }
  });

  it('answers gov with no proposal yet and its default params, an unknown route with 501, and CORS preflights', async () => {
    expect((await ok('/cosmos/gov/v1/proposals'))['proposals']).toEqual([]);
    expect((await ok('/cosmos/gov/v1/params/voting'))['voting_params']).toEqual({ voting_period: '172800s' });
    const missing = await get('/cosmos/gov/v1beta1/proposals/1');
    expect(missing.status).toBe(404);
    expect(missing.json['code']).toBe(5);
    const unknown = await get('/cosmos/circuit/v1/accounts');
    expect(unknown.status).toBe(501);
    expect(unknown.json).toEqual({ code: 12, message: 'Not Implemented', details: [] });
    const preflight = await get('/cosmos/tx/v1beta1/txs', {
      method: 'OPTIONS',
      headers: { origin: 'https://explorer.example', 'access-control-request-method': 'GET' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('GET');
  });
});
