import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { durationMillis, withBlockEconomics } from '../../app/index.ts';
import {
  addGenesisAccountToHome,
  addGenesisValidatorToHome,
  addKey,
  clientKeyringBackend,
  DEV_LOG_LEVEL,
  getKey,
  getTomlValue,
  homePaths,
  initHome,
  type KeyFile,
  setClientKeyringBackend,
  setTomlValue,
  updateAppState,
} from '../../home/index.ts';
import { DEV_EXECUTOR_FUNDS, DEV_EXECUTOR_KEY } from './services.ts';

/** Home of the dev chain `npm start` runs. */
export const DEV_HOME = join(homedir(), '.aind-dev');
export const DEV_CHAIN_ID = 'ain-dev-1';
export const DEV_KEY = 'dev';
/** 1,000,000 AIN. */
export const DEV_BALANCE = '1000000000000uain';
/** The job market's windows on the dev chain, in seconds of block time. */
export const DEV_JOBS_WINDOWS = {
  accept_window: '60',
  reveal_window: '15',
  rank_window: '60',
  acceptance_window: '60',
  resolve_window: '120',
} as const;
/**
 * The dev key's self-delegation to the chain's one validator (600,000 AIN, power 600,000), taken from
 * DEV_BALANCE: about 60% of the supply bonded, as on a live Cosmos chain, so the APR wallets derive
 * from the inflation reads like one (README "Economics").
 */
export const DEV_SELF_DELEGATION = '600000000000uain';

/** What preparing the dev home did. */
export interface DevHome {
  readonly home: string;
  readonly created: boolean;
  readonly key: KeyFile;
  /** The dev key's mnemonic, when this run created the key. */
  readonly mnemonic?: string;
}

/**
 * Makes sure `home` holds a single-validator dev chain: when it has no genesis yet, initialise it with
 * chain id ain-dev-1, create (or reuse) the keyring key `dev`, fund it with 1,000,000 AIN in genesis and
 * make it the operator of the chain's validator (`aind genesis add-validator`: 600,000 AIN
 * self-delegated, the node's consensus key), with a block reward for 10% inflation at its block time.
 * An existing home is left as it is, except that one made before client.toml existed gets
 * `keyring-backend = "test"` (its keys are in keyring-test), so the CLI finds them without a flag.
 * @example await prepareDevHome('/home/me/.aind-dev')
 */
export async function prepareDevHome(home: string): Promise<DevHome> {
  const paths = homePaths(home);
  if (existsSync(paths.genesis) && existsSync(paths.configToml)) {
    if (clientKeyringBackend(home) === undefined) setClientKeyringBackend(home, 'test');
    return { home, created: false, key: getKey(home, DEV_KEY) };
  }
  initHome({ home, chainId: DEV_CHAIN_ID, moniker: 'ain-dev', overwrite: true });
  // A dev chain runs unattended: its keys live in the unencrypted test keyring, named in client.toml.
  setClientKeyringBackend(home, 'test');
  // CometBFT's default "info" prints ~30 lines a block and scrolls the banner away: keep one
  // module's 3 lines a block plus every error (edit config.toml log_level to see more).
  writeFileSync(paths.configToml, setTomlValue(readFileSync(paths.configToml, 'utf8'), '', 'log_level', DEV_LOG_LEVEL));
  let key: KeyFile;
  let mnemonic: string | undefined;
  if (existsSync(join(paths.keyringDir, `${DEV_KEY}.json`))) {
    key = getKey(home, DEV_KEY);
  } else {
    ({ key, mnemonic } = await addKey(home, DEV_KEY));
  }
  addGenesisAccountToHome(home, key.address, DEV_BALANCE);
  addGenesisValidatorToHome(home, { key: DEV_KEY, amount: DEV_SELF_DELEGATION, moniker: 'ain-dev' });
  // The executor `aind dev` runs signs its registration and results with its own key and funds.
  const executor = existsSync(join(paths.keyringDir, `${DEV_EXECUTOR_KEY}.json`))
    ? getKey(home, DEV_EXECUTOR_KEY)
    : (await addKey(home, DEV_EXECUTOR_KEY)).key;
  addGenesisAccountToHome(home, executor.address, `${DEV_EXECUTOR_FUNDS}uain`);
  // Job market windows short enough to watch a whole job run on a dev chain (defaults are minutes).
  updateAppState(home, (state) => ({ ...state, jobs: { params: { ...state.jobs?.params, ...DEV_JOBS_WINDOWS } } }));
  // Rewards for 10% inflation of the genesis supply at this chain's block time (timeout_commit).
  const timeoutCommit = String(getTomlValue(readFileSync(paths.configToml, 'utf8'), 'consensus', 'timeout_commit') ?? '1s');
  updateAppState(home, (state) => withBlockEconomics(state, durationMillis(timeoutCommit)));
  return mnemonic === undefined ? { home, created: true, key } : { home, created: true, key, mnemonic };
}

/** The banner `aind dev` prints before starting the chain. */
export function formatDevBanner(dev: DevHome): string {
  const rule = '='.repeat(78);
  const lines = [
    rule,
    dev.created ? `  AIN dev chain initialised in ${dev.home} (chain id ${DEV_CHAIN_ID})` : `  AIN dev chain in ${dev.home}`,
    '',
    `  dev key address: ${dev.key.address}`,
  ];
  if (dev.mnemonic !== undefined) {
    lines.push('', '  dev key mnemonic (shown once; also stored UNENCRYPTED in keyring-test/, dev only):', `  ${dev.mnemonic}`);
  }
  lines.push(
    '',
    `  funded in genesis with ${DEV_BALANCE}, of which ${DEV_SELF_DELEGATION} is self-delegated to the validator it operates. Try:`,
    `    npx aind query bank balances ${dev.key.address}`,
    `    npx aind tx bank send dev <ain1...> 1000uain --home ${dev.home}`,
    `    npx aind query distribution rewards ${dev.key.address}`,
    '  RPC http://127.0.0.1:26657   REST http://127.0.0.1:1317   Big Storage http://127.0.0.1:7070',
    '  Explorer http://127.0.0.1:1317/ui/ (blocks, txs, accounts, validators, state and proofs, executors, jobs)',
    '  An executor (key "executor") runs the off-chain functions written to the chain. Ctrl-C stops everything.',
    rule,
  );
  return lines.join('\n');
}
