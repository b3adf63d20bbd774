/**
 * `connectAin`: the client a dApp uses to read and write AIN Chain's state tree through CosmJS.
 */
import { encodeSecp256k1Pubkey, type StdFee } from '@cosmjs/amino';
import { fromHex, toHex } from '@cosmjs/encoding';
import { sha256 } from '@cosmjs/crypto';
import { encodePubkey, type EncodeObject, type OfflineSigner, type Registry } from '@cosmjs/proto-signing';
import {
  BroadcastTxError,
  calculateFee,
  type DeliverTxResponse,
  GasPrice,
  SigningStargateClient,
  StargateClient,
  TimeoutError,
} from '@cosmjs/stargate';
import { type CometClient, connectComet } from '@cosmjs/tendermint-rpc';
import { SignMode } from 'cosmjs-types/cosmos/tx/signing/v1beta1/signing';
import { SimulateRequest, SimulateResponse } from 'cosmjs-types/cosmos/tx/v1beta1/service';
import { AuthInfo, Fee, Tx, TxBody, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { ainError, ErrInvalidRequest, ErrIO, ErrUnknownAddress } from '../core/index.ts';
import { type AinftApi, ainftApi } from './ainft.ts';
import { QueryError, TxError } from './errors.ts';
import { type BatchOp, stateMsg } from './messages.ts';
import { abciQueryOrThrow, decodeAnswer } from './queryState.ts';
import { type ChainEvent, type EventListener, onEvent, type OnEventOptions } from './onEvent.ts';
import { type StateRef, stateRef, type TxOptions } from './ref.ts';
import { ainRegistry } from './registry.ts';

/** The chain's genesis minimum gas price: the default price of `fee: 'auto'`. */
export const DEFAULT_GAS_PRICE = '0.025uain';
/** Gas multiplier of `fee: 'auto'` (CosmJS's default). */
export const DEFAULT_GAS_ADJUSTMENT = 1.4;

export interface ConnectAinOptions {
  /** CometBFT RPC, e.g. `http://127.0.0.1:26657`. */
  readonly rpcUrl: string;
  /** Signs transactions; without it the client only reads. */
  readonly signer?: OfflineSigner | undefined;
  /** Which of the signer's accounts signs (default its first). */
  readonly address?: string | undefined;
  /** Gas price of `fee: 'auto'` (default `0.025uain`). */
  readonly gasPrice?: string | undefined;
  /** Gas multiplier of `fee: 'auto'` (default 1.4). */
  readonly gasAdjustment?: number | undefined;
  /** The chain the caller means to sign for: connecting to a node of another chain throws. */
  readonly chainId?: string | undefined;
  /** How long a tx may take to be included in a block (default 60 s). */
  readonly broadcastTimeoutMs?: number | undefined;
  /** How often to look for the tx while waiting (default 300 ms). */
  readonly broadcastPollIntervalMs?: number | undefined;
}

/** A connection to an AIN Chain node. */
export interface AinClient {
  /** The signing address, or undefined for a read-only client. */
  readonly address: string | undefined;
  readonly chainId: string;
  /** The CometBFT RPC the client was connected to (`http://host:port`). */
  readonly rpcUrl: string;
  /** The CometBFT RPC client underneath (blocks, headers, events). */
  readonly cometClient: CometClient;
  /** The registry the client encodes messages with. */
  readonly registry: Registry;
  /** A path of the state tree. */
  ref(path: string): StateRef;
  /**
   * Listens on CometBFT's websocket for the txs whose events match `query` (CometBFT's query language,
   * e.g. `ain.state.v1.EventValueWritten.path CONTAINS '/apps/chat'`), each once and in chain order,
   * resuming after a lost connection from the last delivered tx (see `onEvent`).
   */
  onEvent(query: string, callback: (event: ChainEvent) => void, options?: OnEventOptions): EventListener;
  /** Applies up to 50 operations atomically: all of them, or none when one is refused. */
  batch(ops: readonly BatchOp[], options?: TxOptions): Promise<DeliverTxResponse>;
  /** Creates `/apps/<name>`, writable by `admins` only (or by anyone if `public`). */
  createApp(
    name: string,
    config: { readonly admins: readonly string[]; readonly public?: boolean },
    options?: TxOptions,
  ): Promise<DeliverTxResponse>;
  /**
   * Signs any messages (state or Cosmos) with the client's key, broadcasts them and waits for the
   * block. A refusal in simulation, CheckTx or the block throws {@link TxError}.
   */
  signAndBroadcast(messages: readonly EncodeObject[], options?: TxOptions): Promise<DeliverTxResponse>;
  /** The gas the messages would use, from the node's Simulate (a refusal throws {@link TxError}, stage `simulate`). */
  simulate(messages: readonly EncodeObject[], memo?: string): Promise<number>;
  disconnect(): void;
}

/**
 * The client `connectAin` gives: an `AinClient` with `ainft`, the AINFT operations and reads. (Kept
 * apart from `AinClient`, so wrappers of a client, like the executor's, need not carry it.)
 */
export interface AinftClient extends AinClient {
  /** AINFTs: collections, tokens, composition, re-runs, payments, and their queries. */
  readonly ainft: AinftApi;
}

/**
 * Connects to a node's CometBFT RPC. With a `signer` the client also writes.
 * @example
 * const wallet = await DirectSecp256k1HdWallet.fromMnemonic(mnemonic, { prefix: 'ain', hdPaths: [stringToPath("m/44'/412'/0'/0/0")] });
 * const client = await connectAin({ rpcUrl: 'http://127.0.0.1:26657', signer: wallet });
 * await client.createApp('chat', { admins: [client.address!] });
 * await client.ref('/apps/chat/posts/$user').setRule({ write: 'auth.addr == $user' });
 * await client.ref(`/apps/chat/posts/${client.address}/1`).setValue({ text: 'hello' });
 * const answer = await client.ref(`/apps/chat/posts/${client.address}/1/text`).prove();
 * await answer.verify(); // true
 * client.disconnect();
 */
export async function connectAin(options: ConnectAinOptions): Promise<AinftClient> {
  const gasPrice = parseGasPrice(options.gasPrice ?? DEFAULT_GAS_PRICE);
  const gasAdjustment = options.gasAdjustment ?? DEFAULT_GAS_ADJUSTMENT;
  if (!(gasAdjustment > 0)) throw ainError(ErrInvalidRequest, `gasAdjustment ${gasAdjustment} must be positive`);
  let comet: CometClient;
  try {
    comet = await connectComet(options.rpcUrl);
  } catch (cause) {
    throw ainError(ErrIO, `cannot reach the node at ${options.rpcUrl} (${(cause as Error).message})`);
  }
  const registry = ainRegistry();
  let reader: StargateClient | undefined;
  try {
    let signing: SigningStargateClient | undefined;
    let account: { address: string; pubkey: Uint8Array } | undefined;
    if (options.signer) {
      const accounts = await options.signer.getAccounts();
      account = options.address === undefined ? accounts[0] : accounts.find((a) => a.address === options.address);
      if (!account)
        throw ainError(
          ErrInvalidRequest,
          options.address === undefined ? 'the signer has no accounts' : `the signer has no account ${options.address}`,
        );
      signing = await SigningStargateClient.createWithSigner(comet, options.signer, { registry, gasPrice });
      reader = signing;
    } else {
      reader = await StargateClient.create(comet);
    }
    const chainId = await reader.getChainId();
    if (options.chainId !== undefined && options.chainId !== chainId) {
      throw ainError(ErrInvalidRequest, `the node at ${options.rpcUrl} runs chain "${chainId}", not "${options.chainId}"`);
    }
    const timeouts = [options.broadcastTimeoutMs ?? 60_000, options.broadcastPollIntervalMs ?? 300] as const;
    return new Client(options.rpcUrl, comet, reader, registry, chainId, gasPrice, gasAdjustment, signing, account, ...timeouts);
  } catch (error) {
    if (reader) reader.disconnect();
    else comet.disconnect();
    throw error;
  }
}

function parseGasPrice(text: string): GasPrice {
  try {
    return GasPrice.fromString(text);
  } catch (cause) {
    throw ainError(ErrInvalidRequest, `gas price "${text}" is invalid (${(cause as Error).message}); expected e.g. ${DEFAULT_GAS_PRICE}`);
  }
}

class Client implements AinftClient {
  readonly address: string | undefined;
  readonly ainft: AinftApi;

  constructor(
    readonly rpcUrl: string,
    readonly cometClient: CometClient,
    private readonly reader: StargateClient,
    readonly registry: Registry,
    readonly chainId: string,
    private readonly gasPrice: GasPrice,
    private readonly gasAdjustment: number,
    private readonly signing: SigningStargateClient | undefined,
    private readonly account: { readonly address: string; readonly pubkey: Uint8Array } | undefined,
    private readonly broadcastTimeoutMs: number,
    private readonly broadcastPollIntervalMs: number,
  ) {
    this.address = account?.address;
    this.ainft = ainftApi({
      comet: cometClient,
      signerAddress: () => this.requireSigner().account.address,
      signAndBroadcast: (messages, options) => this.signAndBroadcast(messages, options),
    });
  }

  ref(path: string): StateRef {
    return stateRef(
      {
        comet: this.cometClient,
        rpcUrl: this.rpcUrl,
        signerAddress: () => this.requireSigner().account.address,
        signAndBroadcast: (messages, options) => this.signAndBroadcast(messages, options),
      },
      path,
    );
  }

  onEvent(query: string, callback: (event: ChainEvent) => void, options?: OnEventOptions): EventListener {
    return onEvent(this.rpcUrl, query, callback, options);
  }

  batch(ops: readonly BatchOp[], options?: TxOptions): Promise<DeliverTxResponse> {
    return this.send((signer) => stateMsg.batch(signer, ops), options);
  }

  createApp(
    name: string,
    config: { readonly admins: readonly string[]; readonly public?: boolean },
    options?: TxOptions,
  ): Promise<DeliverTxResponse> {
    return this.send((signer) => stateMsg.createApp(signer, name, config.admins, config.public ?? false), options);
  }

  async signAndBroadcast(messages: readonly EncodeObject[], options: TxOptions = {}): Promise<DeliverTxResponse> {
    const { signing, account } = this.requireSigner();
    const memo = options.memo ?? '';
    const fee: StdFee =
      typeof options.fee === 'object'
        ? options.fee
        : calculateFee(
            Math.ceil((await this.simulate(messages, memo)) * (typeof options.fee === 'number' ? options.fee : this.gasAdjustment)),
            this.gasPrice,
          );
    // CosmJS's signAndBroadcast is sign + broadcastTx. Done in steps here: to know the hash of a refused
    // tx, and because broadcastTx leaves its timeout timer running when CheckTx refuses the tx, which
    // would keep a CLI process alive for the whole timeout.
    const txBytes = TxRaw.encode(await signing.sign(account.address, [...messages], fee, memo)).finish();
    const txhash = toHex(sha256(txBytes)).toUpperCase();
    try {
      await signing.broadcastTxSync(txBytes);
    } catch (error) {
      if (error instanceof BroadcastTxError) {
        throw new TxError({ code: error.code, codespace: error.codespace, log: error.log ?? '', stage: 'check', txhash });
      }
      throw error;
    }
    const result = await this.waitForTx(txhash);
    if (result.code !== 0) {
      // DeliverTxResponse has no codespace: read it from CometBFT's record of the tx.
      const recorded = await this.cometClient.tx({ hash: fromHex(txhash) }).catch(() => undefined);
      throw new TxError({
        code: result.code,
        codespace: recorded?.result.codespace ?? '',
        log: recorded?.result.log ?? result.rawLog ?? '',
        stage: 'deliver',
        txhash,
        height: result.height,
        gasWanted: result.gasWanted,
        gasUsed: result.gasUsed,
      });
    }
    return result;
  }

  async simulate(messages: readonly EncodeObject[], memo = ''): Promise<number> {
    const { account } = this.requireSigner();
    const onChain = await this.reader.getAccount(account.address);
    if (!onChain)
      throw ainError(ErrUnknownAddress, `account ${account.address} does not exist on chain ${this.chainId}; fund it first`, {
        address: account.address,
      });
    // The request CosmJS's simulate sends, through abciQueryOrThrow so a refusal keeps its codespace.
    const tx = Tx.fromPartial({
      body: TxBody.fromPartial({ messages: messages.map((m) => this.registry.encodeAsAny(m)), memo }),
      authInfo: AuthInfo.fromPartial({
        fee: Fee.fromPartial({}),
        signerInfos: [
          {
            publicKey: encodePubkey(encodeSecp256k1Pubkey(account.pubkey)),
            sequence: BigInt(onChain.sequence),
            modeInfo: { single: { mode: SignMode.SIGN_MODE_UNSPECIFIED } },
          },
        ],
      }),
      signatures: [new Uint8Array()],
    });
    const request = SimulateRequest.encode(SimulateRequest.fromPartial({ txBytes: Tx.encode(tx).finish() })).finish();
    let value: Uint8Array;
    try {
      value = (await abciQueryOrThrow(this.cometClient, '/cosmos.tx.v1beta1.Service/Simulate', request)).value;
    } catch (error) {
      if (error instanceof QueryError)
        throw new TxError({ code: error.code, codespace: error.codespace, log: error.log, stage: 'simulate' });
      throw error;
    }
    const gasUsed = decodeAnswer(SimulateResponse.decode, value, '/cosmos.tx.v1beta1.Service/Simulate').gasInfo?.gasUsed ?? 0n;
    return Number(gasUsed);
  }

  disconnect(): void {
    this.reader.disconnect();
  }

  /** Polls for a broadcast tx until it is in a block; throws CosmJS's `TimeoutError` after the broadcast timeout. */
  private async waitForTx(txhash: string): Promise<DeliverTxResponse> {
    const deadline = Date.now() + this.broadcastTimeoutMs;
    for (;;) {
      const tx = await this.reader.getTx(txhash);
      if (tx) {
        return {
          code: tx.code,
          height: tx.height,
          txIndex: tx.txIndex,
          events: tx.events,
          rawLog: tx.rawLog,
          transactionHash: txhash,
          msgResponses: tx.msgResponses,
          gasUsed: tx.gasUsed,
          gasWanted: tx.gasWanted,
        };
      }
      if (Date.now() > deadline) {
        throw new TimeoutError(
          `transaction ${txhash} was accepted into the mempool but not found in a block within ${this.broadcastTimeoutMs / 1000} s`,
          txhash,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, this.broadcastPollIntervalMs));
    }
  }

  private send(build: (signer: string) => EncodeObject, options?: TxOptions): Promise<DeliverTxResponse> {
    return this.signAndBroadcast([build(this.requireSigner().account.address)], options);
  }

  private requireSigner(): { signing: SigningStargateClient; account: { readonly address: string; readonly pubkey: Uint8Array } } {
    if (!this.signing || !this.account)
      throw ainError(ErrInvalidRequest, 'this client has no signer; pass `signer` to connectAin to send transactions');
    return { signing: this.signing, account: this.account };
  }
}
