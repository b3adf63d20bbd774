import { describe, expect, it } from 'vitest';
import { AinError } from '../../core/errors.ts';
import { addGenesisAccount, defaultAppState, addGenesisValidator } from '../../app/genesis.ts';
import { testKey } from '../helpers/tx.ts';
import { moduleAddress } from '../../core/address.ts';
import { toValoper } from '../../modules/staking/address.ts';
import { consensusKey } from './posHarness.fixture.ts';

const alice = testKey('alice');
const pubkey = Buffer.from(consensusKey('alice')).toString('base64');
const funded = () => addGenesisAccount(defaultAppState(), alice.address, [{ denom: 'uain', amount: 5_000_000n }]);
const input = {
  operator: alice.address,
  consensusPubkeyBase64: pubkey,
  selfDelegation: { denom: 'uain', amount: 2_000_000n },
  moniker: 'a',
  commissionRate: '0.1',
};

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof AinError) return `${error.codespace}/${error.code}: ${error.message}`;
    throw error;
  }
  return 'ok';
}

describe('addGenesisValidator', () => {
  it("moves the self-delegation from the operator's balance into the bonded pool and lists the validator", () => {
    const state = addGenesisValidator(funded(), input);
    expect(state.bank.balances).toEqual([
      { address: alice.address, coins: [{ denom: 'uain', amount: '3000000' }] },
      { address: moduleAddress('bonded_tokens_pool'), coins: [{ denom: 'uain', amount: '2000000' }] },
    ]);
    expect(state.staking!.validators).toEqual([
      {
        operator_address: toValoper(alice.address),
        consensus_pubkey: { '@type': '/cosmos.crypto.ed25519.PubKey', key: pubkey },
        tokens: '2000000',
        delegator_shares: '2000000',
        description: { moniker: 'a' },
        commission: { rate: '0.1', max_rate: '0.2', max_change_rate: '0.01' },
        min_self_delegation: '1',
      },
    ]);
    expect(state.staking!.delegations).toEqual([
      { delegator_address: alice.address, validator_address: toValoper(alice.address), shares: '2000000' },
    ]);
    // A second validator adds to the pool's balance.
    const bob = testKey('bob');
    const two = addGenesisValidator(addGenesisAccount(state, bob.address, [{ denom: 'uain', amount: 1_000_000n }]), {
      ...input,
      operator: bob.address,
      consensusPubkeyBase64: Buffer.from(consensusKey('bob')).toString('base64'),
      selfDelegation: { denom: 'uain', amount: 1_000_000n },
    });
    expect(two.bank.balances.find((b) => b.address === moduleAddress('bonded_tokens_pool'))!.coins).toEqual([
      { denom: 'uain', amount: '3000000' },
    ]);
    expect(two.bank.balances.find((b) => b.address === bob.address)!.coins).toEqual([]);
  });

  it('refuses what would make a bad genesis, naming the problem', () => {
    expect(code(() => addGenesisValidator(defaultAppState(), input))).toMatch(/^sdk\/18: .*has no genesis balance/);
    expect(code(() => addGenesisValidator(funded(), { ...input, selfDelegation: { denom: 'uain', amount: 6_000_000n } }))).toMatch(
      /^sdk\/18: .*holds 5000000uain in genesis; the self-delegation needs 6000000uain/,
    );
    expect(code(() => addGenesisValidator(funded(), { ...input, selfDelegation: { denom: 'uain', amount: 999_999n } }))).toMatch(
      /1 unit of power/,
    );
    expect(code(() => addGenesisValidator(funded(), { ...input, selfDelegation: { denom: 'foo', amount: 2_000_000n } }))).toMatch(
      /expected uain/,
    );
    expect(code(() => addGenesisValidator(funded(), { ...input, consensusPubkeyBase64: 'AAAA' }))).toMatch(/^sdk\/8: /);
    expect(code(() => addGenesisValidator(funded(), { ...input, operator: 'ain1xyz' }))).toMatch(/^sdk\/7: /);
    expect(code(() => addGenesisValidator(funded(), { ...input, commissionRate: '0.5', commissionMaxRate: '0.3' }))).toMatch(
      /^staking\/11: /,
    );
    expect(code(() => addGenesisValidator(funded(), { ...input, moniker: '' }))).toMatch(/moniker is empty/);
    const once = addGenesisValidator(funded(), input);
    expect(code(() => addGenesisValidator(once, input))).toMatch(/already exists in genesis/);
  });
});
