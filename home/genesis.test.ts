/** `addGenesisAccountToHome`: accounts by key name or address, and its refusals. */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrInvalidAddress, ErrInvalidCoins, ErrKeyNotFound } from '../core/index.ts';
import { defaultAppState } from '../app/index.ts';
import { baseOfGenesisAccount } from '../modules/auth/index.ts';
import { addKey, homePaths, readGenesis, writeGenesis } from './index.ts';
import { addGenesisAccountToHome } from './genesis.ts';
import { codeOf } from '../test/helpers/errorCode.ts';

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'aind-genesis-'));
  mkdirSync(homePaths(home).configDir, { recursive: true });
  // A minimal genesis.json (no CometBFT needed for this test).
  writeGenesis(home, {
    genesis_time: '2024-01-01T00:00:00Z',
    chain_id: 'ain-test-1',
    initial_height: '1',
    consensus_params: {},
    validators: [],
    app_hash: '',
    app_state: defaultAppState(),
  });
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

describe('addGenesisAccountToHome', () => {
  it('adds an account by key name and by address, with sorted coins', async () => {
    const { key } = await addKey(home, 'alice');
    const other = (await addKey(home, 'bob')).key.address;
    addGenesisAccountToHome(home, 'alice', '1000uain,5foo');
    addGenesisAccountToHome(home, other, '7uain');
    const state = readGenesis(home).app_state!;
    expect(state.auth.accounts.map((a) => baseOfGenesisAccount(a).address)).toEqual([key.address, other]);
    expect(state.bank.balances).toEqual([
      {
        address: key.address,
        coins: [
          { denom: 'foo', amount: '5' },
          { denom: 'uain', amount: '1000' },
        ],
      },
      { address: other, coins: [{ denom: 'uain', amount: '7' }] },
    ]);
    expect(() => addGenesisAccountToHome(home, 'alice', '1uain')).toThrow(/already exists/);
  });

  it('refuses unknown keys, bad addresses and bad coins with their codes', () => {
    expect(codeOf(() => addGenesisAccountToHome(home, 'nobody', '1uain'))).toBe(`${ErrKeyNotFound.codespace}/${ErrKeyNotFound.code}`);
    expect(codeOf(() => addGenesisAccountToHome(home, 'ain1xyz', '1uain'))).toBe(`sdk/${ErrInvalidAddress.code}`);
    expect(codeOf(() => addGenesisAccountToHome(home, 'ain1h67mcg2eh7dyqh5yfljenp0wut0se97jd5pvvd', '1.5uain'))).toBe(
      `sdk/${ErrInvalidCoins.code}`,
    );
    expect(readGenesis(home).app_state).toEqual(defaultAppState());
  });
});
