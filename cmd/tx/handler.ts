import { toHex } from '@cosmjs/encoding';
import { sha256 } from '@cosmjs/crypto';
import { BroadcastTxError, SigningStargateClient } from '@cosmjs/stargate';
import type { CometClient } from '@cosmjs/tendermint-rpc';
import { MsgSend } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { ainError, ErrIO, ErrUnknownAddress, parseAddress, coinsToProto, parseCoins } from '../../core/index.ts';
import { getKey, keySigner, signerForKey } from '../../home/index.ts';
import { type BroadcastOutcome, buildFee, connectCometClient, findTx, type SendOptions, txResponseJson } from '../common/index.ts';

/** How long to wait for a broadcast tx to be included in a block. */
const INCLUSION_TIMEOUT_MS = 60_000;
const POLL_INTERVAL_MS = 300;

export interface BankSendOptions extends SendOptions {
  readonly to: string;
  /** CLI coin syntax, e.g. "1000uain". */
  readonly amount: string;
}

/**
 * `tx bank send`: signs a MsgSend with SIGN_MODE_DIRECT from a keyring key, broadcasts it (sync) and
 * waits for its inclusion. A CheckTx rejection comes back as `ok: false` with code, codespace and log.
 * @example await bankSend({ home, from: 'alice', to: 'ain1...', amount: '1000uain', node: 'tcp://127.0.0.1:26657' })
 */
export async function bankSend(options: BankSendOptions): Promise<BroadcastOutcome> {
  const key = getKey(options.home, options.from, options.keyring);
  parseAddress(options.to, 'to address');
  if (options.feeGranter !== undefined) parseAddress(options.feeGranter, '--fee-granter');
  const amount = coinsToProto(parseCoins(options.amount, 'amount'));
  const signer = await signerForKey(await keySigner(key, options.keyring));

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
    const built = await buildFee(options, () => client.simulate(key.address, [message], memo));
    const fee = options.feeGranter === undefined ? built : { ...built, granter: options.feeGranter };
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
