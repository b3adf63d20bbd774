/**
 * `aind chain-info` on a home made by `aind init`'s code: chain.json and assetlist.json pass the
 * Cosmos chain registry's published JSON schemas (test/testdata/chain-registry, checked with ajv),
 * and Keplr's chain info carries the chain's own coin type, prefixes, denoms and fee floor.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import draft7 from 'ajv/dist/refs/json-schema-draft-07.json' with { type: 'json' };
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ensureCometbft } from '../../scripts/setup.mjs';
import { deriveKey, generateMnemonic, HD_PATH, initHome, updateAppState } from '../../home/index.ts';
import { cliProgram, runCli } from '../common/index.ts';
import { CHAIN_INFO_FILES, type KeplrChainInfo } from './handler.ts';
import { chainInfoCommand } from './index.ts';

const SCHEMAS = join(import.meta.dirname, '..', '..', 'test', 'testdata', 'chain-registry');

/** A validator for one of the registry's schemas (draft-07, named by its https id as the registry writes it). */
function registryValidator(file: string): ValidateFunction {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats.default(ajv);
  ajv.addMetaSchema({ ...draft7, $id: 'https://json-schema.org/draft-07/schema' });
  return ajv.compile(JSON.parse(readFileSync(join(SCHEMAS, file), 'utf8')) as object);
}
const chainSchema = registryValidator('chain.schema.json');
const assetlistSchema = registryValidator('assetlist.schema.json');

const errorsOf = (validate: ValidateFunction) => (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;

let dir: string;
let home: string;
beforeAll(() => {
  ensureCometbft({ quiet: true });
  dir = mkdtempSync(join(tmpdir(), 'aind-chain-info-'));
  home = join(dir, 'home');
  initHome({ home, chainId: 'ain-test-1', moniker: 'node0' });
}, 300_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function chainInfo(...args: string[]): Promise<{ code: number | undefined; stdout: string; stderr: string }> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => stdout.push(String(chunk)) > 0);
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => stderr.push(String(chunk)) > 0);
  try {
    process.exitCode = undefined;
    await runCli(cliProgram(chainInfoCommand()), ['node', 'aind', 'chain-info', ...args]);
    return { code: process.exitCode as number | undefined, stdout: stdout.join(''), stderr: stderr.join('') };
  } finally {
    out.mockRestore();
    err.mockRestore();
    process.exitCode = undefined;
  }
}

describe('aind chain-info', () => {
  it('writes chain.json and assetlist.json that pass the chain registry schemas', async () => {
    const out = join(dir, 'default');
    const run = await chainInfo('--home', home, '--out', out);
    expect(run.stderr).toBe('');
    expect(run.stdout.trim().split('\n')).toEqual(Object.values(CHAIN_INFO_FILES).map((file) => join(out, file)));

    const chain = readJson(join(out, CHAIN_INFO_FILES.chain));
    expect(chainSchema(chain), errorsOf(chainSchema).join('\n')).toBe(true);
    expect(chain).toMatchObject({
      chain_name: 'aintest',
      chain_id: 'ain-test-1',
      chain_type: 'cosmos',
      network_type: 'testnet',
      bech32_prefix: 'ain',
      slip44: 412,
      daemon_name: 'aind',
      fees: {
        fee_tokens: [{ denom: 'uain', fixed_min_gas_price: 0.025, low_gas_price: 0.025, average_gas_price: 0.0625, high_gas_price: 0.1 }],
      },
      staking: { staking_tokens: [{ denom: 'uain' }], lock_duration: { time: '21 days' } },
      apis: { rpc: [{ address: 'http://127.0.0.1:26657' }], rest: [{ address: 'http://127.0.0.1:1317' }] },
    });

    const assetlist = readJson(join(out, CHAIN_INFO_FILES.assetlist));
    expect(assetlistSchema(assetlist), errorsOf(assetlistSchema).join('\n')).toBe(true);
    expect(assetlist).toEqual({
      $schema: '../assetlist.schema.json',
      chain_name: 'aintest',
      assets: [
        {
          description: 'The native staking and fee token of AI Network.',
          denom_units: [
            { denom: 'uain', exponent: 0, aliases: ['microain'] },
            { denom: 'ain', exponent: 6 },
          ],
          type_asset: 'sdk.coin',
          base: 'uain',
          name: 'AI Network',
          display: 'ain',
          symbol: 'AIN',
        },
      ],
    });
  });

  it('the schemas are strict: a chain.json without chain_id, or an asset with an unknown field, fails', async () => {
    const out = join(dir, 'strict');
    await chainInfo('--home', home, '--out', out);
    const { chain_id: _, ...withoutId } = readJson(join(out, CHAIN_INFO_FILES.chain));
    expect(chainSchema(withoutId)).toBe(false);
    expect(errorsOf(chainSchema)).toContain(" must have required property 'chain_id'");
    const assetlist = readJson(join(out, CHAIN_INFO_FILES.assetlist)) as { assets: Record<string, unknown>[] };
    assetlist.assets[0]!.decimals = 6;
    expect(assetlistSchema(assetlist)).toBe(false);
  });

  it("writes Keplr's chain info with the keyring's coin type, the bech32 prefixes, the denoms and gas price steps from the fee floor", async () => {
    const out = join(dir, 'keplr');
    await chainInfo('--home', home, '--out', out, '--rpc', 'https://rpc.example.org', '--rest', 'https://api.example.org');
    const keplr = readJson(join(out, CHAIN_INFO_FILES.keplr)) as unknown as KeplrChainInfo;
    const ain = { coinDenom: 'AIN', coinMinimalDenom: 'uain', coinDecimals: 6 };
    expect(keplr).toEqual({
      chainId: 'ain-test-1',
      chainName: 'AIN Chain (ain-test-1)',
      rpc: 'https://rpc.example.org',
      rest: 'https://api.example.org',
      bip44: { coinType: 412 },
      bech32Config: {
        bech32PrefixAccAddr: 'ain',
        bech32PrefixAccPub: 'ainpub',
        bech32PrefixValAddr: 'ainvaloper',
        bech32PrefixValPub: 'ainvaloperpub',
        bech32PrefixConsAddr: 'ainvalcons',
        bech32PrefixConsPub: 'ainvalconspub',
      },
      currencies: [ain],
      feeCurrencies: [{ ...ain, gasPriceStep: { low: 0.025, average: 0.0625, high: 0.1 } }],
      stakeCurrency: ain,
      features: [],
    });
    // The coin type Keplr derives with is the one aind's keys use, so a mnemonic gives the same address in both.
    expect(HD_PATH).toBe(`m/44'/${keplr.bip44.coinType}'/0'/0/0`);
    const key = await deriveKey(generateMnemonic());
    expect(key.address.startsWith(`${keplr.bech32Config.bech32PrefixAccAddr}1`)).toBe(true);
    // chain.json names the same public endpoints.
    expect(readJson(join(out, CHAIN_INFO_FILES.chain)).apis).toEqual({
      rpc: [{ address: 'https://rpc.example.org' }],
      rest: [{ address: 'https://api.example.org' }],
    });
  });

  it("follows the genesis: another fee floor moves Keplr's steps and the registry's fee token", async () => {
    const other = join(dir, 'other');
    initHome({ home: other, chainId: 'ain-1' });
    updateAppState(other, (state) => ({
      ...state,
      auth: { ...state.auth, params: { ...state.auth.params, min_gas_prices: [{ denom: 'uain', amount: '0.01' }] } },
    }));
    const out = join(dir, 'other-out');
    await chainInfo('--home', other, '--out', out);
    const keplr = readJson(join(out, CHAIN_INFO_FILES.keplr)) as unknown as KeplrChainInfo;
    expect(keplr.feeCurrencies[0]!.gasPriceStep).toEqual({ low: 0.01, average: 0.025, high: 0.04 });
    const chain = readJson(join(out, CHAIN_INFO_FILES.chain));
    expect(chainSchema(chain), errorsOf(chainSchema).join('\n')).toBe(true);
    expect(chain).toMatchObject({
      chain_name: 'ain',
      network_type: 'mainnet',
      fees: { fee_tokens: [{ denom: 'uain', fixed_min_gas_price: 0.01 }] },
    });
  });

  it('fails with one clear line for a home without a genesis', async () => {
    const run = await chainInfo('--home', join(dir, 'nowhere'), '--out', join(dir, 'none'));
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^Error: cannot read .*nowhere\/config\/genesis\.json .*run `aind init` first/);
  });
});
