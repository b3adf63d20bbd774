import { addGenesisAccount } from '../../app/genesis.ts';
import { ADDRESS_PREFIX, parseAddress } from '../../modules/auth/address.ts';
import { type Coin, parseCoins } from '../../modules/bank/coins.ts';
import { updateAppState } from '../common/genesis-file.ts';
import { getKey } from '../common/keyring.ts';

/**
 * Adds a funded account to HOME/config/genesis.json. `addressOrKey` is an `ain1...` address or the
 * name of a key in the home's keyring; `coins` is the CLI coin syntax, e.g. "1000uain,5foo".
 * @example addGenesisAccountToHome('/tmp/n0', 'alice', '1000000uain')
 */
export function addGenesisAccountToHome(home: string, addressOrKey: string, coins: string): { address: string; coins: Coin[] } {
  const address = resolveAddress(home, addressOrKey);
  const parsed = parseCoins(coins, 'coins');
  updateAppState(home, (state) => addGenesisAccount(state, address, parsed));
  return { address, coins: parsed };
}

/** An `ain1...` address as given, or the address of the named keyring key. */
export function resolveAddress(home: string, addressOrKey: string): string {
  if (addressOrKey.startsWith(`${ADDRESS_PREFIX}1`)) {
    parseAddress(addressOrKey);
    return addressOrKey;
  }
  return getKey(home, addressOrKey).address;
}
