import { toHex } from '@cosmjs/encoding';
import { sha256 } from '@cosmjs/crypto';
import { BroadcastTxError, calculateFee, GasPrice, SigningStargateClient, type StdFee } from '@cosmjs/stargate';
import type { CometClient } from '@cosmjs/tendermint-rpc';
import { MsgSend } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { ainError, ErrInvalidRequest, ErrIO, ErrUnknownAddress } from '../../core/errors.ts';
import { parseAddress } from '../../core/address.ts';
import { BASE_DENOM, coinsToProto, parseCoins } from '../../core/coins.ts';
import { signerForKey } from '../../home/hd.ts';
import { getKey, keySigner } from '../../home/keyring.ts';
import { connectCometClient, findTx } from '../common/client.ts';
import { type TxResponseJson, txResponseJson } from '../common/tx-json.ts';

/** Gas limit when neither `--gas` nor `--gas auto` says otherwise (simd's default). */
export const DEFAULT_GAS = 200_000;
/** Gas price used for the fee when neither `--fees` nor `--gas-prices` is given: the chain's genesis minimum. */
export const DEFAULT_GAS_PRICE = `0.025${BASE_DENOM}`;
/** How long to wait for a broadcast tx to be included in a block. */
const INCLUSION_TIMEOUT_MS = 60_000;
const POLL_INTERVAL_MS = 300;

export interface BankSendOptions {
  readonly home: string;
  /** Key name or address in the keyring. */
  readonly from: string;
  readonly to: string;
  /** CLI coin syntax, e.g. "1000uain". */
  readonly amount: string;
  readonly node: string;
  readonly chainId?: string | undefined;
  readonly fees?: string | undefined;
  /** A number, or "auto" to simulate and multiply by `gasAdjustment`. */
  readonly gas?: string | undefined;
  readonly gasAdjustment?: number | undefined;
  readonly gasPrices?: string | undefined;
  readonly memo?: string | undefined;
  readonly timeoutMs?: number | undefined;
}

/** The outcome of a broadcast: `ok` is false for a CheckTx rejection or a failed execution. */
export interface BroadcastOutcome {
  readonly ok: boolean;
  readonly response: TxResponseJson;
}

/**
 * `tx bank send`: signs a MsgSend with SIGN_MODE_DIRECT from a keyring key, broadcasts it (sync) and
 * waits for its inclusion. A CheckTx rejection comes back as `ok: false` with code, codespace and log.
 * @example await bankSend({ home, from: 'alice', to: 'ain1...', amount: '1000uain', node: 'tcp://127.0.0.1:26657' })
 */
export async function bankSend(options: BankSendOptions): Promise<BroadcastOutcome> {
  const key = getKey(options.home, options.from);
  parseAddress(options.to, 'to address');
  const amount = coinsToProto(parseCoins(options.amount, 'amount'));
  const signer = await signerForKey(await keySigner(key));

  const { comet } = await connectCometClient(options.node);
  const client = await SigningStargateClient.createWithSigner(comet, signer);
  try {
    const chainId = options.chainId ?? (await client.getChainId());
    const account = await client.getAccount(key.address);
    if (!account) {
      throw ainError(ErrUnknownAddress, `account ${key.address} (key "${key.name}") does not exist on chain ${chainId}; fund it first`);
    }
    const message = {
      typeUrl: '/cosmos.bank.v1beta1.MsgSend',
      value: MsgSend.fromPartial({ fromAddress: key.address, toAddress: options.to, amount }),
    };
    const memo = options.memo ?? '';
    const fee = await buildFee(options, () => client.simulate(key.address, [message], memo));
    const signed = await client.sign(key.address, [message], fee, memo, {
      accountNumber: account.accountNumber,
      sequence: account.sequence,
      chainId,
    });
    return await broadcastAndWait(comet, client, TxRaw.encode(signed).finish(), options.timeoutMs ?? INCLUSION_TIMEOUT_MS);
  } finally {
    client.disconnect();
  }
}

/**
 * The fee of a tx from simd-style flags: gas is `--gas` (default 200000) or, with `--gas auto`, the
 * simulated gas times `--gas-adjustment`; the amount is `--fees`, else gas x `--gas-prices`
 * (default 0.025uain).
 */
export async function buildFee(
  flags: Pick<BankSendOptions, 'fees' | 'gas' | 'gasAdjustment' | 'gasPrices'>,
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
 * Broadcasts signed TxRaw bytes with broadcast_tx_sync and polls CometBFT's `tx` until the tx is in a
 * block. A CheckTx rejection returns `ok: false` at once with height 0.
 */
export async function broadcastAndWait(
  comet: CometClient,
  client: SigningStargateClient,
  txBytes: Uint8Array,
  timeoutMs: number = INCLUSION_TIMEOUT_MS,
): Promise<BroadcastOutcome> {
  const txhash = toHex(sha256(txBytes)).toUpperCase();
  try {
    await client.broadcastTxSync(txBytes);
  } catch (error) {
    if (error instanceof BroadcastTxError) {
      return {
        ok: false,
        response: {
          height: '0',
          txhash,
          codespace: error.codespace,
          code: error.code,
          data: '',
          raw_log: error.log ?? '',
          gas_wanted: '0',
          gas_used: '0',
          events: [],
        },
      };
    }
    throw error;
  }
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await findTx(comet, txhash);
    if (found) {
      const response = txResponseJson(found);
      return { ok: response.code === 0, response };
    }
    if (Date.now() > deadline) {
      throw ainError(ErrIO, `tx ${txhash} was accepted into the mempool but not included in a block within ${timeoutMs / 1000} s`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
}
