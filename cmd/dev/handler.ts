import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { homePaths } from '../common/home.ts';
import { addKey, getKey, type KeyFile } from '../common/keyring.ts';
import { setTomlValue } from '../common/toml.ts';
import { addGenesisAccountToHome } from '../genesis/handler.ts';
import { initHome } from '../init/handler.ts';

/** Home of the dev chain `npm start` runs. */
export const DEV_HOME = join(homedir(), '.aind-dev');
export const DEV_CHAIN_ID = 'ain-dev-1';
export const DEV_KEY = 'dev';
/** CometBFT log level of the dev chain: block commits and errors. */
export const DEV_LOG_LEVEL = 'state:info,*:error';
/** 1,000,000 AIN. */
export const DEV_BALANCE = '1000000000000uain';

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
 * chain id ain-dev-1, create (or reuse) the keyring key `dev` and fund it with 1,000,000 AIN in
 * genesis. An existing home is left as it is.
 * @example await prepareDevHome('/home/me/.aind-dev')
 */
export async function prepareDevHome(home: string): Promise<DevHome> {
  const paths = homePaths(home);
  if (existsSync(paths.genesis) && existsSync(paths.configToml)) {
    return { home, created: false, key: getKey(home, DEV_KEY) };
  }
  initHome({ home, chainId: DEV_CHAIN_ID, moniker: 'ain-dev', overwrite: true });
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
    `  funded in genesis with ${DEV_BALANCE}. Try:`,
    `    npx aind query bank balances ${dev.key.address}`,
    `    npx aind tx bank send dev <ain1...> 1000uain --home ${dev.home}`,
    '  RPC http://127.0.0.1:26657   REST http://127.0.0.1:1317   Ctrl-C stops the chain.',
    rule,
  );
  return lines.join('\n');
}
