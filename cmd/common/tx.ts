/**
 * What every `aind tx ...` command (and `aind job run`, `aind console`) shares: the signing and
 * broadcast flags (`withTxFlags`, `TxFlags`) and their resolved form (`SendOptions`), the fee they
 * give, and signing messages with a keyring key, broadcasting them and waiting for the block.
 */
import type { EncodeObject } from '@cosmjs/proto-signing';
import { calculateFee, type DeliverTxResponse, GasPrice, type StdFee } from '@cosmjs/stargate';
import type { Command } from 'commander';
import { ainError, ErrInvalidRequest, BASE_DENOM, coinsToProto, parseAddress, parseCoins } from '../../core/index.ts';
import { connectAin, TxError } from '../../client/index.ts';
import { getKey, type Keyring, keySigner, resolveHome, signerForKey } from '../../home/index.ts';
import { type KeyringFlags, keyringBackendOption, keyringOf } from './keyring.ts';
import { findTx } from './client.ts';
import { nodeHttpUrl } from './node-url.ts';
import { homeOption, nodeOption, outputOption } from './options.ts';
import type { OutputFormat } from './output.ts';
import { type TxResponseJson, txResponseJson } from './tx-json.ts';

/** Gas limit when neither `--gas` nor `--gas auto` says otherwise (simd's default). */
export const DEFAULT_GAS = 200_000;
/** Gas price used for the fee when neither `--fees` nor `--gas-prices` is given: the chain's genesis minimum. */
export const DEFAULT_GAS_PRICE = `0.025${BASE_DENOM}`;

/** The flags `withTxFlags` adds, as commander hands them to an action (camelCase, text as typed). */
export interface TxFlags extends KeyringFlags {
  from: string;
  home: string;
  node: string;
  output: OutputFormat;
  chainId?: string;
  fees?: string;
  gas?: string;
  gasAdjustment: string;
  gasPrices?: string;
  memo?: string;
  /** `--fee-granter`: the account whose fee allowance pays the fee (x/feegrant). */
  feeGranter?: string;
  yes?: boolean;
}

/** The signing and broadcast options every tx command shares, resolved from its flags. */
export interface SendOptions {
  readonly home: string;
  /** Key name or address in the keyring. */
  readonly from: string;
  /** The keyring of `from` (`--keyring-backend`); the `test` backend when absent. */
  readonly keyring?: Keyring | undefined;
  readonly node: string;
  readonly chainId?: string | undefined;
  readonly fees?: string | undefined;
  /** A number, or "auto" to simulate and multiply by `gasAdjustment`. */
  readonly gas?: string | undefined;
  readonly gasAdjustment?: number | undefined;
  readonly gasPrices?: string | undefined;
  readonly memo?: string | undefined;
  /** The account whose fee allowance pays the fee (`fee.granter`); the signer pays when absent. */
  readonly feeGranter?: string | undefined;
  readonly timeoutMs?: number | undefined;
}

/** The outcome of a broadcast: `ok` is false for a CheckTx rejection or a failed execution. */
export interface BroadcastOutcome {
  readonly ok: boolean;
  readonly response: TxResponseJson;
}

/** The flags of `tx bank send`, with the signer as `--from` (every `aind tx <module>` command takes them). */
export function withTxFlags(command: Command): Command {
  return withSignerlessTxFlags(command.requiredOption('--from <key_or_address>', 'signer: key name or address in the keyring'));
}

/** The flags of {@link withTxFlags} but `--from`: for commands whose first argument names the signer (`tx feegrant grant GRANTER`). */
export function withSignerlessTxFlags(command: Command): Command {
  return command
    .option('--fees <coins>', 'fee to pay, e.g. 5000uain (default: gas x --gas-prices)')
    .option('--gas <limit>', 'gas limit, or "auto" to simulate first (default 200000)')
    .option('--gas-adjustment <factor>', 'multiplier of the simulated gas with --gas auto', '1.5')
    .option('--gas-prices <price>', 'price per unit of gas, e.g. 0.025uain (default: the genesis minimum 0.025uain)')
    .option('--chain-id <id>', "chain id to sign for (default: the node's; another chain's node is refused)")
    .option('--memo <text>', 'tx memo')
    .option('--fee-granter <address>', 'account whose fee allowance pays the fee (x/feegrant; default: the signer pays)')
    .option('-y, --yes', 'skip confirmation (never asked; accepted for simd compatibility)')
    .addOption(keyringBackendOption())
    .addOption(homeOption())
    .addOption(nodeOption())
    .addOption(outputOption('json'));
}

/** `SendOptions` from the flags of `withTxFlags` (the home resolved, the gas adjustment a number). */
export function sendOptionsOf(flags: TxFlags): SendOptions {
  const home = resolveHome(flags.home);
  return {
    home,
    from: flags.from,
    keyring: keyringOf(home, flags),
    node: flags.node,
    chainId: flags.chainId,
    fees: flags.fees,
    gas: flags.gas,
    gasAdjustment: Number(flags.gasAdjustment),
    gasPrices: flags.gasPrices,
    memo: flags.memo,
    feeGranter: flags.feeGranter,
  };
}

/**
 * The fee of a tx from simd-style flags: gas is `--gas` (default 200000) or, with `--gas auto`, the
 * simulated gas times `--gas-adjustment`; the amount is `--fees`, else gas x `--gas-prices`
 * (default 0.025uain).
 */
export async function buildFee(
  flags: Pick<SendOptions, 'fees' | 'gas' | 'gasAdjustment' | 'gasPrices'>,
  simulate: () => Promise<number>,
): Promise<StdFee> {
  if (flags.fees !== undefined && flags.gasPrices !== undefined) {
    throw ainError(ErrInvalidRequest, 'give either --fees or --gas-prices, not both');
  }
  let gas: number;
  if (flags.gas === 'auto') {
    const adjustment = flags.gasAdjustment ?? 1.5;
    if (!(adjustment > 0)) throw ainError(ErrInvalidRequest, `--gas-adjustment ${adjustment} must be positive`);
    gas = Math.ceil((await simulate()) * adjustment);
  } else if (flags.gas !== undefined) {
    if (!/^[1-9][0-9]*$/.test(flags.gas) || !Number.isSafeInteger(Number(flags.gas))) {
      throw ainError(ErrInvalidRequest, `--gas "${flags.gas}" must be a positive integer or "auto"`);
    }
    gas = Number(flags.gas);
  } else {
    gas = DEFAULT_GAS;
  }
  if (flags.fees !== undefined) {
    return { amount: coinsToProto(parseCoins(flags.fees, '--fees')), gas: String(gas) };
  }
  let price: GasPrice;
  try {
    price = GasPrice.fromString(flags.gasPrices ?? DEFAULT_GAS_PRICE);
  } catch (cause) {
    throw ainError(
      ErrInvalidRequest,
      `--gas-prices "${flags.gasPrices}" is invalid (${(cause as Error).message}); expected e.g. ${DEFAULT_GAS_PRICE}`,
    );
  }
  return calculateFee(gas, price);
}

/**
 * Any `aind tx` command's messages: `build` makes them for the signer's address (all local checks
 * happen there, before the node is contacted); they are signed with the keyring key through the
 * client library, broadcast, and awaited in a block. A refusal (simulation, CheckTx or block) comes
 * back as `ok: false` with code, codespace and log.
 */
export async function sendMessages(options: SendOptions, build: (signer: string) => EncodeObject[]): Promise<BroadcastOutcome> {
  const key = getKey(options.home, options.from, options.keyring);
  if (options.feeGranter !== undefined) parseAddress(options.feeGranter, '--fee-granter');
  const messages = build(key.address);
  const memo = options.memo ?? '';
  const client = await connectAin({
    rpcUrl: nodeHttpUrl(options.node),
    signer: await signerForKey(await keySigner(key, options.keyring)),
    chainId: options.chainId,
    broadcastTimeoutMs: options.timeoutMs,
  });
  try {
    let result: DeliverTxResponse;
    try {
      const built = await buildFee(options, () => client.simulate(messages, memo));
      const fee = options.feeGranter === undefined ? built : { ...built, granter: options.feeGranter };
      result = await client.signAndBroadcast(messages, { fee, memo });
    } catch (error) {
      if (error instanceof TxError) return { ok: false, response: txErrorJson(error) };
      throw error;
    }
    const found = await findTx(client.cometClient, result.transactionHash);
    return { ok: true, response: found ? txResponseJson(found) : deliverJson(result) };
  } finally {
    client.disconnect();
  }
}

/** SDK TxResponse JSON of a refused tx. */
export function txErrorJson(error: TxError): TxResponseJson {
  return {
    height: String(error.height),
    txhash: error.txhash ?? '',
    codespace: error.codespace,
    code: error.code,
    data: '',
    raw_log: error.log,
    gas_wanted: error.gasWanted.toString(),
    gas_used: error.gasUsed.toString(),
    events: [],
  };
}

function deliverJson(result: DeliverTxResponse): TxResponseJson {
  return {
    height: String(result.height),
    txhash: result.transactionHash,
    codespace: '',
    code: result.code,
    data: '',
    raw_log: result.rawLog ?? '',
    gas_wanted: result.gasWanted.toString(),
    gas_used: result.gasUsed.toString(),
    events: result.events.map((e) => ({ type: e.type, attributes: e.attributes.map((a) => ({ key: a.key, value: a.value })) })),
  };
}
