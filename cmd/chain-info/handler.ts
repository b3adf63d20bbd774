/**
 * What wallets and explorers need to know of a chain, from a node home: Keplr's chain info (the
 * object `window.keplr.experimentalSuggestChain` takes) and the Cosmos chain registry's `chain.json`
 * and `assetlist.json`. Everything comes from the home's genesis (chain id, denom metadata, the
 * fee floor, the bond denom, the unbonding time) and config (RPC and REST addresses, unless given).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ADDRESS_PREFIX, BASE_DENOM } from '../../core/index.ts';
import { COIN_TYPE, type GenesisDoc, readGenesis, readNodeSettings } from '../../home/index.ts';
import { type DenomMetadataJson, defaultDenomMetadata } from '../../modules/bank/index.ts';
import { VALCONS_PREFIX, VALOPER_PREFIX } from '../../modules/staking/index.ts';

/** Gas price steps above the chain's fee floor (low): Keplr's own defaults (0.01, 0.025, 0.04) have these ratios. */
const STEP_RATIOS = { average: 2.5, high: 4 } as const;
/** Keplr's default steps, for a chain whose fee floor is zero. */
const ZERO_FLOOR_STEPS = { low: 0.01, average: 0.025, high: 0.04 } as const;

export interface ChainInfoOptions {
  /** Public RPC URL (default: the home's config.toml `[rpc] laddr` as http://). */
  readonly rpc?: string;
  /** Public REST URL (default: the home's app.toml `[api] address` as http://). */
  readonly rest?: string;
  /** chain.json `chain_name` (default: the chain id's name part, e.g. "aindev" for ain-dev-1). */
  readonly chainName?: string;
  /** chain.json `network_type` (default: "mainnet" for an id without test/dev/local in it, else "testnet"/"devnet"). */
  readonly networkType?: 'mainnet' | 'testnet' | 'devnet';
}

/** A currency as Keplr describes it. */
export interface KeplrCurrency {
  readonly coinDenom: string;
  readonly coinMinimalDenom: string;
  readonly coinDecimals: number;
}

/** Keplr's chain info (`ChainInfo` of @keplr-wallet/types), the fields this chain fills. */
export interface KeplrChainInfo {
  readonly chainId: string;
  readonly chainName: string;
  readonly rpc: string;
  readonly rest: string;
  readonly bip44: { readonly coinType: number };
  readonly bech32Config: {
    readonly bech32PrefixAccAddr: string;
    readonly bech32PrefixAccPub: string;
    readonly bech32PrefixValAddr: string;
    readonly bech32PrefixValPub: string;
    readonly bech32PrefixConsAddr: string;
    readonly bech32PrefixConsPub: string;
  };
  readonly currencies: readonly KeplrCurrency[];
  readonly feeCurrencies: readonly (KeplrCurrency & { readonly gasPriceStep: { low: number; average: number; high: number } })[];
  readonly stakeCurrency: KeplrCurrency;
  readonly features: readonly string[];
}

/** The three documents, as JSON values. */
export interface ChainInfoDocuments {
  readonly keplr: KeplrChainInfo;
  readonly chain: Record<string, unknown>;
  readonly assetlist: Record<string, unknown>;
}

/** The file names `writeChainInfo` uses. */
export const CHAIN_INFO_FILES = { keplr: 'keplr-chain-info.json', chain: 'chain.json', assetlist: 'assetlist.json' } as const;

/**
 * The three documents for a genesis and the node's public URLs.
 * @example chainInfoDocuments(readGenesis(home), { rpc: 'https://rpc.example', rest: 'https://api.example' })
 */
export function chainInfoDocuments(
  genesis: GenesisDoc,
  urls: { readonly rpc: string; readonly rest: string },
  options: Pick<ChainInfoOptions, 'chainName' | 'networkType'> = {},
): ChainInfoDocuments {
  const chainId = genesis.chain_id;
  const appState = (genesis.app_state ?? {}) as Record<string, Record<string, unknown> | undefined>;
  const metadata = ((appState.bank?.denom_metadata as DenomMetadataJson[] | undefined) ?? defaultDenomMetadata()).filter(
    (m) => m.denom_units.length > 0,
  );
  const bondDenom = String((appState.staking?.params as { bond_denom?: string } | undefined)?.bond_denom ?? BASE_DENOM);
  const floors = (
    (appState.auth?.params as { min_gas_prices?: { denom: string; amount: string }[] } | undefined)?.min_gas_prices ?? []
  ).filter((price) => metadata.some((m) => m.base === price.denom));
  const feeDenoms = floors.length > 0 ? floors : [{ denom: bondDenom, amount: '0' }];
  const currency = (denom: string): KeplrCurrency => {
    const m = metadata.find((entry) => entry.base === denom);
    if (!m) throw new Error(`genesis bank.denom_metadata has no entry for ${denom}: wallets cannot display it`);
    const display = m.denom_units.find((unit) => unit.denom === m.display) ?? m.denom_units[0]!;
    return { coinDenom: m.symbol || display.denom.toUpperCase(), coinMinimalDenom: m.base, coinDecimals: display.exponent };
  };
  // Rounded to 12 significant digits: 0.03 x 2.5 is 0.075, not 0.07500000000000001.
  const times = (floor: number, ratio: number) => Number((floor * ratio).toPrecision(12));
  const steps = (floor: number) =>
    floor > 0 ? { low: floor, average: times(floor, STEP_RATIOS.average), high: times(floor, STEP_RATIOS.high) } : { ...ZERO_FLOOR_STEPS };
  const unbondingSeconds = Number((appState.staking?.params as { unbonding_time?: string } | undefined)?.unbonding_time ?? 0);
  const chainName = options.chainName ?? chainNameOf(chainId);
  const networkType = options.networkType ?? networkTypeOf(chainId);

  const keplr: KeplrChainInfo = {
    chainId,
    chainName: `AIN Chain (${chainId})`,
    rpc: urls.rpc,
    rest: urls.rest,
    bip44: { coinType: COIN_TYPE },
    bech32Config: {
      bech32PrefixAccAddr: ADDRESS_PREFIX,
      bech32PrefixAccPub: `${ADDRESS_PREFIX}pub`,
      bech32PrefixValAddr: VALOPER_PREFIX,
      bech32PrefixValPub: `${VALOPER_PREFIX}pub`,
      bech32PrefixConsAddr: VALCONS_PREFIX,
      bech32PrefixConsPub: `${VALCONS_PREFIX}pub`,
    },
    currencies: metadata.map((m) => currency(m.base)),
    feeCurrencies: feeDenoms.map((price) => ({ ...currency(price.denom), gasPriceStep: steps(Number(price.amount)) })),
    stakeCurrency: currency(bondDenom),
    features: [],
  };
  const chain: Record<string, unknown> = {
    $schema: '../chain.schema.json',
    chain_name: chainName,
    chain_type: 'cosmos',
    chain_id: chainId,
    pretty_name: 'AIN Chain',
    status: 'live',
    network_type: networkType,
    bech32_prefix: ADDRESS_PREFIX,
    bech32_config: {
      bech32PrefixAccAddr: ADDRESS_PREFIX,
      bech32PrefixAccPub: `${ADDRESS_PREFIX}pub`,
      bech32PrefixValAddr: VALOPER_PREFIX,
      bech32PrefixValPub: `${VALOPER_PREFIX}pub`,
      bech32PrefixConsAddr: VALCONS_PREFIX,
      bech32PrefixConsPub: `${VALCONS_PREFIX}pub`,
    },
    daemon_name: 'aind',
    node_home: '$HOME/.aind',
    key_algos: ['secp256k1'],
    slip44: COIN_TYPE,
    fees: {
      fee_tokens: feeDenoms.map((price, i) => ({
        denom: price.denom,
        fixed_min_gas_price: Number(price.amount),
        low_gas_price: keplr.feeCurrencies[i]!.gasPriceStep.low,
        average_gas_price: keplr.feeCurrencies[i]!.gasPriceStep.average,
        high_gas_price: keplr.feeCurrencies[i]!.gasPriceStep.high,
      })),
    },
    staking: {
      staking_tokens: [{ denom: bondDenom }],
      ...(unbondingSeconds > 0 ? { lock_duration: { time: durationText(unbondingSeconds) } } : {}),
    },
    codebase: {
      consensus: { type: 'cometbft', version: 'v0.38' },
      genesis: { genesis_url: `${urls.rpc.replace(/\/$/, '')}/genesis` },
    },
    description: 'AI Network: a market for AI compute and a serverless state tree, as a Cosmos-style appchain.',
    apis: { rpc: [{ address: urls.rpc }], rest: [{ address: urls.rest }] },
  };
  const assetlist: Record<string, unknown> = {
    $schema: '../assetlist.schema.json',
    chain_name: chainName,
    assets: metadata.map((m) => ({
      description: m.description || `${m.name} on ${chainId}`,
      denom_units: m.denom_units.map((unit) => ({
        denom: unit.denom,
        exponent: unit.exponent,
        ...(unit.aliases.length > 0 ? { aliases: unit.aliases } : {}),
      })),
      type_asset: 'sdk.coin',
      base: m.base,
      name: m.name,
      display: m.display,
      symbol: m.symbol,
    })),
  };
  return { keplr, chain, assetlist };
}

/**
 * Writes the three documents for a home into `outDir` (CHAIN_INFO_FILES names). Returns their paths.
 * @example writeChainInfo('/home/me/.aind-dev', '/tmp/info', { rpc: 'https://rpc.example' })
 */
export function writeChainInfo(home: string, outDir: string, options: ChainInfoOptions = {}): Record<keyof ChainInfoDocuments, string> {
  const genesis = readGenesis(home);
  const settings = readNodeSettings(home);
  const restHost = settings.api && (settings.api.host === '0.0.0.0' ? '127.0.0.1' : settings.api.host);
  const rest = options.rest ?? (settings.api ? `http://${restHost}:${settings.api.port}` : undefined);
  if (rest === undefined) throw new Error(`the REST API is disabled in ${home}/config/app.toml ([api] enable = false); pass --rest URL`);
  const documents = chainInfoDocuments(genesis, { rpc: options.rpc ?? settings.cometRpcUrl, rest }, options);
  mkdirSync(outDir, { recursive: true });
  const paths = {
    keplr: join(outDir, CHAIN_INFO_FILES.keplr),
    chain: join(outDir, CHAIN_INFO_FILES.chain),
    assetlist: join(outDir, CHAIN_INFO_FILES.assetlist),
  };
  for (const key of ['keplr', 'chain', 'assetlist'] as const) writeFileSync(paths[key], `${JSON.stringify(documents[key], null, 2)}\n`);
  return paths;
}

/** The registry's chain_name: lower-case letters and digits of the id's name part ("ain-dev-1" -> "aindev"). */
function chainNameOf(chainId: string): string {
  const name = chainId
    .replace(/-\d+$/, '')
    .replace(/[^a-z0-9]/gi, '')
    .toLowerCase();
  return name === '' ? 'ain' : name;
}

function networkTypeOf(chainId: string): 'mainnet' | 'testnet' | 'devnet' {
  if (/dev|local/i.test(chainId)) return 'devnet';
  if (/test/i.test(chainId)) return 'testnet';
  return 'mainnet';
}

/** The unbonding time as the registry writes it: "21 days", or seconds when not whole days. */
function durationText(seconds: number): string {
  return seconds % 86_400 === 0 ? `${seconds / 86_400} days` : `${seconds} seconds`;
}
