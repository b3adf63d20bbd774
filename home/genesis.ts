/**
 * Edits of a home's genesis.json before the chain starts: funded accounts and genesis validators
 * (`aind genesis add-account|add-validator`, `aind dev`, the localnet), and the home's consensus key.
 */
import { existsSync, readFileSync } from 'node:fs';
import { ainError, ErrInvalidRequest, ADDRESS_PREFIX, parseAddress, type Coin, formatCoins, parseCoins } from '../core/index.ts';
import { toValoper } from '../modules/staking/index.ts';
import { addGenesisAccount, addGenesisValidator } from '../app/index.ts';
import { readGenesis, updateAppState, writeGenesis } from './genesisFile.ts';
import { type Keyring, resolveKeyOrAddress } from './keyring.ts';
import { homePaths } from './paths.ts';
import { getTomlValue } from './toml.ts';

/**
 * Adds a funded account to HOME/config/genesis.json. `addressOrKey` is an `ain1...` address or the
 * name of a key in the home's keyring; `coins` is the CLI coin syntax, e.g. "1000uain,5foo".
 * @example addGenesisAccountToHome('/tmp/n0', 'alice', '1000000uain')
 */
export function addGenesisAccountToHome(
  home: string,
  addressOrKey: string,
  coins: string,
  keyring?: Keyring,
): { address: string; coins: Coin[] } {
  const address = resolveAddress(home, addressOrKey, keyring);
  const parsed = parseCoins(coins, 'coins');
  updateAppState(home, (state) => addGenesisAccount(state, address, parsed));
  return { address, coins: parsed };
}

/** An `ain1...` address as given, or the address of the named key (in `keyring`, else in either backend). */
export function resolveAddress(home: string, addressOrKey: string, keyring?: Keyring): string {
  if (addressOrKey.startsWith(`${ADDRESS_PREFIX}1`)) {
    parseAddress(addressOrKey);
    return addressOrKey;
  }
  return resolveKeyOrAddress(home, addressOrKey, 'address', keyring);
}

/** What `aind genesis add-validator` takes. Exactly one of `key` and `address` names the operator. */
export interface AddGenesisValidatorOptions {
  readonly key?: string | undefined;
  /** The keyring of `key` (its address only is read); both backends when absent. */
  readonly keyring?: Keyring | undefined;
  readonly address?: string | undefined;
  /** The self-delegation, CLI coin syntax with one coin, e.g. "1000000uain". */
  readonly amount: string;
  /** Default: the node's moniker in config.toml. */
  readonly moniker?: string | undefined;
  /** Decimal, default "0.10". */
  readonly commissionRate?: string | undefined;
  /** ed25519 consensus public key, base64; default: `pub_key.value` of HOME/config/priv_validator_key.json. */
  readonly pubkey?: string | undefined;
}

/** What `aind genesis add-validator` prints. */
export interface AddGenesisValidatorResult {
  readonly operator: string;
  readonly validator: string;
  readonly consensus_pubkey: string;
  readonly amount: string;
  readonly moniker: string;
}

/**
 * Adds a genesis validator to HOME/config/genesis.json with `addGenesisValidator` (the operator must
 * already be a funded genesis account; the self-delegation moves from its balance into the bonded
 * pool). The app returns the staking validators from InitChain, so genesis.json's own `validators`
 * list is emptied: `app_state.staking` is the one source of the validator set.
 * @example addGenesisValidatorToHome('/tmp/n0', { key: 'validator', amount: '100000000000uain' })
 */
export function addGenesisValidatorToHome(home: string, options: AddGenesisValidatorOptions): AddGenesisValidatorResult {
  if ((options.key === undefined) === (options.address === undefined)) {
    throw ainError(ErrInvalidRequest, 'give exactly one of --key NAME and --address ADDR');
  }
  const operator = options.key !== undefined ? resolveKeyOrAddress(home, options.key, '--key', options.keyring) : options.address!;
  parseAddress(operator, '--address');
  const coins = parseCoins(options.amount, '--amount');
  if (coins.length !== 1) throw ainError(ErrInvalidRequest, `--amount "${options.amount}" must be one coin, e.g. 1000000uain`);
  const pubkey = options.pubkey ?? privValidatorPubkey(home);
  const moniker = options.moniker ?? configMoniker(home);
  const genesis = readGenesis(home);
  if (genesis.app_state === undefined)
    throw ainError(ErrInvalidRequest, `${homePaths(home).genesis} has no app_state; run \`aind init\` first`);
  const appState = addGenesisValidator(genesis.app_state, {
    operator,
    consensusPubkeyBase64: pubkey,
    selfDelegation: coins[0]!,
    moniker,
    commissionRate: options.commissionRate ?? '0.10',
  });
  writeGenesis(home, { ...genesis, validators: [], app_state: appState });
  return { operator, validator: toValoper(operator), consensus_pubkey: pubkey, amount: formatCoins(coins), moniker };
}

/** The ed25519 public key (base64) of HOME/config/priv_validator_key.json, as `cometbft init` wrote it. */
export function privValidatorPubkey(home: string): string {
  const path = homePaths(home).privValidatorKey;
  let key: { pub_key?: { type?: string; value?: string } };
  try {
    key = JSON.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw ainError(ErrInvalidRequest, `cannot read ${path} (${(cause as Error).message}); run \`aind init\` or pass --pubkey`);
  }
  if (key.pub_key?.type !== 'tendermint/PubKeyEd25519' || typeof key.pub_key.value !== 'string') {
    throw ainError(ErrInvalidRequest, `${path} holds no tendermint/PubKeyEd25519 pub_key`);
  }
  return key.pub_key.value;
}

function configMoniker(home: string): string {
  const path = homePaths(home).configToml;
  const moniker = existsSync(path) ? getTomlValue(readFileSync(path, 'utf8'), '', 'moniker') : undefined;
  return typeof moniker === 'string' && moniker !== '' ? moniker : 'validator';
}
