/**
 * The developer committee on a real single-node chain (CometBFT + the app): genesis sets the
 * committee (the first two accounts, weight 1 each, threshold 2) and funds the developer fund through
 * a bank balance of the module account; CosmJS with the chain's registry funds it further, a member
 * proposes a spend, the second member's vote executes it and the coins move; a non-member is refused
 * at CheckTx. `aind query committee ...`'s handler and the REST routes see the same state.
 */
import { DirectSecp256k1Wallet } from '@cosmjs/proto-signing';
import { GasPrice, SigningStargateClient } from '@cosmjs/stargate';
import { MsgSend } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppState } from '../app/genesis.ts';
import { ainRegistry, committeeMsg } from '../client/index.ts';
import { queryCommittee } from '../cmd/query/committee/handler.ts';
import { ADDRESS_PREFIX } from '../core/index.ts';
import { committeeAddress } from '../modules/committee/index.ts';
import { startTestNode, type TestAccount, type TestNode } from './helpers/node.ts';

const AIN = 1_000_000n;
const FUND = committeeAddress();
let node: TestNode;

beforeAll(async () => {
  node = await startTestNode({
    accounts: 3,
    appState: (state) => {
      // Accounts are added first, in order: their balances lead the list.
      const [a0, a1] = state.bank.balances.map((b) => b.address);
      return {
        ...state,
        bank: {
          ...state.bank,
          balances: [...state.bank.balances, { address: FUND, coins: [{ denom: 'uain', amount: (20n * AIN).toString() }] }],
        },
        committee: {
          committee: {
            members: [
              { address: a0!, weight: '1' },
              { address: a1!, weight: '1' },
            ],
            threshold: '2',
          },
        },
      } as AppState;
    },
  });
});

afterAll(async () => {
  await node?.stop();
});

async function clientOf(account: TestAccount): Promise<SigningStargateClient> {
  const wallet = await DirectSecp256k1Wallet.fromKey(account.privkey, ADDRESS_PREFIX);
  return SigningStargateClient.connectWithSigner(node.rpcUrl, wallet, {
    registry: ainRegistry(),
    gasPrice: GasPrice.fromString('0.025uain'),
    broadcastPollIntervalMs: 200,
  });
}

async function rest(path: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${node.apiUrl}${path}`);
  expect(response.status, path).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

describe('the developer committee on a real node', () => {
  it('genesis sets and funds it; a member proposes a spend, the second vote executes it; a non-member is refused', async () => {
    const [a0, a1, a2] = node.accounts as [TestAccount, TestAccount, TestAccount];
    const [c0, c1, c2] = await Promise.all([clientOf(a0), clientOf(a1), clientOf(a2)]);
    try {
      expect(await queryCommittee(node.rpcUrl, 'committee', [], {})).toMatchObject({ committee: { threshold: '2', total_weight: '2' } });
      const funded = await c2.signAndBroadcast(a2.address, [committeeMsg.fund(a2.address, { amount: `${10n * AIN}uain` })], 'auto');
      expect(funded.code, funded.rawLog).toBe(0);
      expect(await rest('/ain/committee/v1/fund')).toEqual({
        address: FUND,
        balances: [{ denom: 'uain', amount: (30n * AIN).toString() }],
      });

      const before = BigInt((await c2.getBalance(a2.address, 'uain')).amount);
      const send = MsgSend.fromPartial({
        fromAddress: FUND,
        toAddress: a2.address,
        amount: [{ denom: 'uain', amount: (7n * AIN).toString() }],
      });
      const proposal = committeeMsg.propose(a0.address, {
        messages: [{ typeUrl: MsgSend.typeUrl, value: MsgSend.encode(send).finish() }],
        summary: 'Pay for the audit',
      });
      const proposed = await c0.signAndBroadcast(a0.address, [proposal], 'auto');
      expect(proposed.code, proposed.rawLog).toBe(0);
      // Its messages print unpacked, as the REST route prints them (they printed as base64).
      const messages = [{ '@type': MsgSend.typeUrl, from_address: FUND, to_address: a2.address, amount: send.amount }];
      expect(await queryCommittee(node.rpcUrl, 'proposal', ['1'], {})).toMatchObject({
        proposal: { id: '1', status: 'PROPOSAL_STATUS_OPEN', yes_weight: '1', messages },
      });
      expect(await rest('/ain/committee/v1/proposals/1')).toMatchObject({ proposal: { messages } });
      const voted = await c1.signAndBroadcast(a1.address, [committeeMsg.vote(a1.address, { proposalId: 1n, yes: true })], 'auto');
      expect(voted.code, voted.rawLog).toBe(0);
      expect(await rest('/ain/committee/v1/proposals/1')).toMatchObject({
        proposal: { status: 'PROPOSAL_STATUS_EXECUTED', yes_weight: '2' },
      });
      expect(BigInt((await c2.getBalance(a2.address, 'uain')).amount)).toBe(before + 7n * AIN);
      expect(await queryCommittee(node.rpcUrl, 'fund', [], {})).toEqual({
        address: FUND,
        balances: [{ denom: 'uain', amount: (23n * AIN).toString() }],
      });

      // A non-member's proposal is refused before it reaches a block.
      await expect(
        c2.signAndBroadcast(a2.address, [committeeMsg.propose(a2.address, proposal.value)], {
          amount: [{ denom: 'uain', amount: '5000' }],
          gas: '200000',
        }),
      ).rejects.toThrow(/not a member of the committee/);
      const listed = (await queryCommittee(node.rpcUrl, 'proposals', [], {})) as { proposals: unknown[] };
      expect(listed.proposals).toHaveLength(1);
    } finally {
      for (const c of [c0, c1, c2]) c.disconnect();
    }
  });
});
