/**
 * The chain as a user meets it: a real CometBFT v0.38 node and the app over lmdb, driven with CosmJS.
 * Sends between fresh accounts, getTx/searchTx/simulate, refusals with SDK codes, a grantee sending for
 * its granter (authz), REST routes, a fee paid through a fee grant (`StdFee.granter`).
 * (kill -9 recovery is test/crash.test.ts.)
 */
import { DirectSecp256k1HdWallet } from '@cosmjs/proto-signing';
import { BroadcastTxError, GasPrice, QueryClient, SigningStargateClient, StargateClient, setupFeegrantExtension } from '@cosmjs/stargate';
import { Comet38Client } from '@cosmjs/tendermint-rpc';
import { SendAuthorization } from 'cosmjs-types/cosmos/bank/v1beta1/authz';
import { QueryTotalSupplyRequest, QueryTotalSupplyResponse } from 'cosmjs-types/cosmos/bank/v1beta1/query';
import { MsgSend } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { BasicAllowance } from 'cosmjs-types/cosmos/feegrant/v1beta1/feegrant';
import { MsgGrantAllowance } from 'cosmjs-types/cosmos/feegrant/v1beta1/tx';
import { TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fundedClient, startTestNode, type TestNode } from './helpers/node.ts';
import { until } from './helpers/poll.ts';
import { txIndexCaughtUp } from './helpers/txIndex.ts';
import { sendMsg, signTx, testKey } from './helpers/tx.ts';

/** The REST answers this test reads (proto3 JSON). */
interface RestBody {
  default_node_info: { network: string };
  account: { '@type': string; address: string };
  balances: { denom: string; amount: string }[];
}

describe('a single node through CosmJS', () => {
  let node: TestNode;
  let client: StargateClient;

  beforeAll(async () => {
    node = await startTestNode({ accounts: 3 });
    client = await StargateClient.connect(node.rpcUrl);
  });

  afterAll(async () => {
    client?.disconnect();
    await node?.stop();
  });

  const balance = async (address: string) => BigInt((await client.getBalance(address, 'uain')).amount);

  it('sends between two fresh accounts, then finds the tx with getTx and searchTx', async () => {
    const fresh1 = await DirectSecp256k1HdWallet.generate(24, { prefix: 'ain' });
    const fresh2 = await DirectSecp256k1HdWallet.generate(24, { prefix: 'ain' });
    const a1 = (await fresh1.getAccounts())[0]!.address;
    const a2 = (await fresh2.getAccounts())[0]!.address;
    expect(await client.getAccount(a1)).toBeNull();

    const { client: funder, address: funderAddress } = await fundedClient(node, 0);
    const funding = await funder.sendTokens(funderAddress, a1, [{ denom: 'uain', amount: '1000000' }], 'auto');
    expect(funding.code).toBe(0);
    funder.disconnect();

    const signer = await SigningStargateClient.connectWithSigner(node.rpcUrl, fresh1, { gasPrice: GasPrice.fromString('0.025uain') });
    const simulated = await signer.simulate(
      a1,
      [{ typeUrl: '/cosmos.bank.v1beta1.MsgSend', value: { fromAddress: a1, toAddress: a2, amount: [{ denom: 'uain', amount: '1234' }] } }],
      'first send',
    );
    expect(simulated).toBeGreaterThan(10_000);
    const result = await signer.sendTokens(a1, a2, [{ denom: 'uain', amount: '1234' }], 'auto', 'first send');
    signer.disconnect();
    expect(result.code).toBe(0);
    expect(result.gasUsed).toBeLessThanOrEqual(result.gasWanted);
    expect(await balance(a2)).toBe(1234n);
    const feePaid = 1_000_000n - 1234n - (await balance(a1));
    expect(feePaid).toBe(BigInt(Math.ceil(Math.round(simulated * 1.4) * 0.025)));

    const tx = await client.getTx(result.transactionHash);
    expect(tx?.height).toBe(result.height);
    expect(tx?.code).toBe(0);
    const found = await client.searchTx(`transfer.recipient='${a2}'`);
    expect(found.map((t) => t.hash)).toEqual([result.transactionHash]);
    const bySender = await client.searchTx(`message.sender='${a1}'`);
    expect(bySender.map((t) => t.hash)).toContain(result.transactionHash);
    // The fee's `message` and `coin_spent` events repeat what the send's own events index, so only the
    // latter are indexed (core/events.ts): the same queries find the tx, and it carries every event.
    const bySpender = await client.searchTx(`coin_spent.spender='${a1}'`);
    expect(bySpender.map((t) => t.hash)).toContain(result.transactionHash);
    const byAction = await client.searchTx(`message.action='/cosmos.bank.v1beta1.MsgSend' AND message.sender='${a1}'`);
    expect(byAction.map((t) => t.hash)).toEqual([result.transactionHash]);
    expect(tx?.events.filter((e) => e.type === 'message')).toHaveLength(3);
    expect(tx?.events.filter((e) => e.type === 'coin_spent')).toHaveLength(2);
    // app.toml's default index-events leaves amounts out of the index; the tx still carries them.
    expect(await client.searchTx("transfer.amount='1234uain'")).toEqual([]);
    expect(tx?.events.find((e) => e.type === 'transfer' && e.attributes.some((a) => a.value === '1234uain'))).toBeDefined();
    const account = await client.getAccount(a1);
    expect(account?.sequence).toBe(1);
    expect(account?.pubkey).not.toBeNull();
  });

  it('finds with searchTx, once txIndexCaughtUp returns, a tx whose effect a query already shows', async () => {
    const fresh = (await (await DirectSecp256k1HdWallet.generate(24, { prefix: 'ain' })).getAccounts())[0]!.address;
    const { client: sender, address } = await fundedClient(node, 2);
    const msg = {
      typeUrl: '/cosmos.bank.v1beta1.MsgSend',
      value: { fromAddress: address, toAddress: fresh, amount: [{ denom: 'uain', amount: '777' }] },
    };
    const hash = await sender.signAndBroadcastSync(address, [msg], 'auto');
    sender.disconnect();
    // The state shows the send as soon as its block commits; CometBFT's indexer may still be writing it.
    await until('the send in state', async () => ((await balance(fresh)) === 777n ? true : undefined), 30_000);
    await txIndexCaughtUp(node.rpcUrl);
    expect((await client.searchTx(`transfer.recipient='${fresh}'`)).map((t) => t.hash)).toEqual([hash]);
  });

  it('refuses bad signature, wrong sequence, low fee, overdraft and random bytes with SDK codes and changes no balance', async () => {
    const [sender, receiver] = [node.accounts[1]!, node.accounts[2]!];
    const account = (await client.getAccount(sender.address))!;
    const base = { key: sender, chainId: node.chainId, accountNumber: BigInt(account.accountNumber), sequence: BigInt(account.sequence) };
    const good = signTx({ ...base, messages: [sendMsg(sender.address, receiver.address, '10')] });
    const raw = TxRaw.decode(good);
    const tampered = TxRaw.encode({ ...raw, signatures: [raw.signatures[0]!.map((b, i) => (i === 5 ? b ^ 0xff : b))] }).finish();
    const before = [await balance(sender.address), await balance(receiver.address)];
    const height = await node.height();
    const cases: Array<[string, Uint8Array, number]> = [
      ['bad signature', tampered, 4],
      [
        'wrong sequence',
        signTx({ ...base, sequence: base.sequence + 3n, messages: [sendMsg(sender.address, receiver.address, '10')] }),
        32,
      ],
      [
        'fee too low',
        signTx({ ...base, fee: [{ denom: 'uain', amount: '10' }], messages: [sendMsg(sender.address, receiver.address, '10')] }),
        13,
      ],
      [
        'more than the balance',
        signTx({ ...base, messages: [sendMsg(sender.address, receiver.address, (before[0]! * 2n).toString())] }),
        5,
      ],
      ['random bytes', Uint8Array.from({ length: 64 }, (_, i) => (i * 97 + 13) % 256), 2],
    ];
    for (const [name, bytes, code] of cases) {
      const error = await client.broadcastTx(bytes).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, name).toBeInstanceOf(BroadcastTxError);
      expect({ name, code: (error as BroadcastTxError).code, codespace: (error as BroadcastTxError).codespace }).toEqual({
        name,
        code,
        codespace: 'sdk',
      });
    }
    await node.waitForHeight(height + 2);
    expect([await balance(sender.address), await balance(receiver.address)]).toEqual(before);
    expect((await client.getAccount(sender.address))!.sequence).toBe(account.sequence);
  });

  it('keeps total supply equal to the genesis balances plus the block rewards minted (fees move coins, never make them)', async () => {
    const comet = await Comet38Client.connect(node.rpcUrl);
    const client = QueryClient.withExtensions(comet);
    // Read at one height: the genesis balances (3 accounts and the validator's operator with its stake) plus
    // the block reward, 1 AIN minted in every block after the first (which has no last commit to reward).
    const response = await client.queryAbci('/cosmos.bank.v1beta1.Query/TotalSupply', QueryTotalSupplyRequest.encode({}).finish());
    const { supply } = QueryTotalSupplyResponse.decode(response.value);
    const minted = (BigInt(response.height) - 1n) * 1_000_000n;
    expect(supply).toEqual([{ denom: 'uain', amount: String(4n * 1_000_000_000_000n + 100_000_000_000n + minted) }]);
    comet.disconnect();
  });

  it('lets a grantee send for its granter with MsgGrant and MsgExec signed by CosmJS, within the spend limit', async () => {
    const { client: granter, address: granterAddress } = await fundedClient(node, 0);
    const granteeWallet = await DirectSecp256k1HdWallet.generate(24, { prefix: 'ain' });
    const grantee = (await granteeWallet.getAccounts())[0]!.address;
    const recipient = testKey('authz-recipient').address;
    const limit = SendAuthorization.encode({ spendLimit: [{ denom: 'uain', amount: '5000' }], allowList: [] }).finish();
    // One tx: the grantee's fee money and the grant.
    const granted = await granter.signAndBroadcast(
      granterAddress,
      [
        {
          typeUrl: '/cosmos.bank.v1beta1.MsgSend',
          value: { fromAddress: granterAddress, toAddress: grantee, amount: [{ denom: 'uain', amount: '200000' }] },
        },
        {
          typeUrl: '/cosmos.authz.v1beta1.MsgGrant',
          value: { granter: granterAddress, grantee, grant: { authorization: { typeUrl: SendAuthorization.typeUrl, value: limit } } },
        },
      ],
      'auto',
    );
    granter.disconnect();
    expect(granted.code).toBe(0);
    const signer = await SigningStargateClient.connectWithSigner(node.rpcUrl, granteeWallet, {
      gasPrice: GasPrice.fromString('0.025uain'),
    });
    const inner = MsgSend.encode({
      fromAddress: granterAddress,
      toAddress: recipient,
      amount: [{ denom: 'uain', amount: '3000' }],
    }).finish();
    const exec = (value: Uint8Array) => [
      { typeUrl: '/cosmos.authz.v1beta1.MsgExec', value: { grantee, msgs: [{ typeUrl: '/cosmos.bank.v1beta1.MsgSend', value }] } },
    ];
    const executed = await signer.signAndBroadcast(grantee, exec(inner), 'auto');
    expect(executed.code).toBe(0);
    expect(await balance(recipient)).toBe(3000n);
    const grants = (await (
      await fetch(`${node.apiUrl}/cosmos/authz/v1beta1/grants?granter=${granterAddress}&grantee=${grantee}`)
    ).json()) as {
      grants: { authorization: { '@type': string; spend_limit: { amount: string }[] } }[];
    };
    expect(grants.grants.map((g) => [g.authorization['@type'], g.authorization.spend_limit[0]!.amount])).toEqual([
      [SendAuthorization.typeUrl, '2000'],
    ]);
    // Over what is left: CosmJS's simulation already meets the chain's refusal.
    await expect(
      signer.signAndBroadcast(
        grantee,
        exec(MsgSend.encode({ fromAddress: granterAddress, toAddress: recipient, amount: [{ denom: 'uain', amount: '2001' }] }).finish()),
        'auto',
      ),
    ).rejects.toThrow(/spend limit/);
    signer.disconnect();
    expect(await balance(recipient)).toBe(3000n);
  });

  it('a grantee with no coins signs with CosmJS, its StdFee naming a granter whose allowance pays', async () => {
    const { client: granterClient, address: granter } = await fundedClient(node, 1);
    const wallet = await DirectSecp256k1HdWallet.generate(24, { prefix: 'ain' });
    const grantee = (await wallet.getAccounts())[0]!.address;
    const allowance = (limit: string) => ({
      typeUrl: BasicAllowance.typeUrl,
      value: BasicAllowance.encode({ spendLimit: [{ denom: 'uain', amount: limit }] }).finish(),
    });
    const grantMsg = (from: string, to: string, limit: string) => ({
      typeUrl: MsgGrantAllowance.typeUrl,
      value: MsgGrantAllowance.fromPartial({ granter: from, grantee: to, allowance: allowance(limit) }),
    });
    expect((await granterClient.signAndBroadcast(granter, [grantMsg(granter, grantee, '1000000')], 'auto')).code).toBe(0);
    granterClient.disconnect();

    const granterBefore = await balance(granter);
    const signer = await SigningStargateClient.connectWithSigner(node.rpcUrl, wallet, { broadcastPollIntervalMs: 200 });
    // A message that moves no coins, so the grantee's balance stays exactly 0.
    const third = (await (await DirectSecp256k1HdWallet.generate(12, { prefix: 'ain' })).getAccounts())[0]!.address;
    const fee = { amount: [{ denom: 'uain', amount: '6000' }], gas: '200000', granter };
    const result = await signer.signAndBroadcast(grantee, [grantMsg(grantee, third, '1')], fee);
    signer.disconnect();
    expect(result.code).toBe(0);
    expect(await balance(grantee)).toBe(0n);
    expect(await balance(granter)).toBe(granterBefore - 6000n);
    const payer = result.events.find((e) => e.type === 'tx' && e.attributes.some((a) => a.key === 'fee_payer'));
    expect(payer?.attributes.find((a) => a.key === 'fee_payer')?.value).toBe(granter);
    const queries = QueryClient.withExtensions(await Comet38Client.connect(node.rpcUrl), setupFeegrantExtension);
    const left = (await queries.feegrant.allowance(granter, grantee)).allowance!.allowance!;
    expect(BasicAllowance.decode(left.value).spendLimit).toEqual([{ denom: 'uain', amount: '994000' }]);
  });

  it('serves the REST routes a Keplr-style wallet calls', async () => {
    const address = node.accounts[0]!.address;
    const get = async (path: string) => {
      const response = await fetch(`${node.apiUrl}${path}`);
      return { status: response.status, body: (await response.json()) as RestBody };
    };
    const info = await get('/cosmos/base/tendermint/v1beta1/node_info');
    expect(info.body.default_node_info.network).toBe(node.chainId);
    const account = await get(`/cosmos/auth/v1beta1/accounts/${address}`);
    expect(account.body.account['@type']).toBe('/cosmos.auth.v1beta1.BaseAccount');
    expect(account.body.account.address).toBe(address);
    const balances = await get(`/cosmos/bank/v1beta1/balances/${address}`);
    expect(balances.body.balances[0]?.denom).toBe('uain');
    const missing = await get(`/cosmos/auth/v1beta1/accounts/${testKey('nobody').address}`);
    expect(missing.status).toBe(404);
  });
});
