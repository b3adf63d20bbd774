/**
 * What `aind dev` runs beside the node so a new user has the whole serverless loop on one machine: a
 * Big Storage server (HOME/storage, port 7070) and an executor daemon signing with the keyring key
 * `executor` (funded in the dev genesis; topped up from `dev` for a home made before it existed), with
 * the runtimes of HOME/executor.toml. Unlike `aind executor` it starts without bubblewrap, so a first
 * try works anywhere, after one warning line saying the programs are not isolated.
 */
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { StargateClient } from '@cosmjs/stargate';
import { appHeight, connectAin } from '../../client/index.ts';
import { detectIsolation, EXECUTOR_CONFIG_FILE, readExecutorConfig, startExecutor } from '../../executor/index.ts';
import { chainView, DEFAULT_STORAGE_PORT, startStorageServer } from '../../storage/index.ts';
import { getKey, keySigner } from '../../home/index.ts';
import { DirectSecp256k1Wallet } from '@cosmjs/proto-signing';
import { ADDRESS_PREFIX } from '../../core/index.ts';

export const DEV_EXECUTOR_KEY = 'executor';
/** What the dev executor is funded with (10,000 AIN) for its fees. */
export const DEV_EXECUTOR_FUNDS = 10_000_000_000n;
/** How long the services wait for the node's first block. */
const CHAIN_WAIT_MS = 120_000;

export interface DevServices {
  readonly storageUrl: string;
  readonly executorAddress: string;
  stop(): Promise<void>;
}

export interface DevServicesOptions {
  readonly home: string;
  readonly rpcUrl: string;
  /** Default 7070 (0 picks a free port). */
  readonly storagePort?: number;
  readonly log: (line: string) => void;
  /** Aborts the wait for the first block (the node is shutting down): the start rejects at once. */
  readonly signal?: AbortSignal;
}

/** Waits for the chain's first block, then starts Big Storage and the executor. */
export async function startDevServices(options: DevServicesOptions): Promise<DevServices> {
  await waitForFirstBlock(options.rpcUrl, options.signal);
  // With the chain, private copies (a private job's input) are served to the readers it admits.
  const storage = await startStorageServer({
    dir: join(options.home, 'storage'),
    port: options.storagePort ?? DEFAULT_STORAGE_PORT,
    chain: chainView(options.rpcUrl),
  });
  try {
    const executorKey = await keySigner(getKey(options.home, DEV_EXECUTOR_KEY));
    await fundExecutor(options.home, options.rpcUrl, executorKey.address);
    const isolation = await detectIsolation();
    if (isolation.kind !== 'bwrap') options.log(insecureWarning(isolation.details));
    const executor = await startExecutor({
      rpcUrl: options.rpcUrl,
      storageUrl: storage.url,
      key: executorKey,
      cursorFile: join(options.home, 'executor-cursor.json'),
      declaredRuntimes: readExecutorConfig(join(options.home, EXECUTOR_CONFIG_FILE)).runtimes,
      isolation,
      insecureSandbox: true,
      log: (line) => options.log(`executor: ${line}`),
    });
    options.log(`Big Storage at ${storage.url}; executor ${executor.address} (${executor.isolation.kind} sandbox) is running`);
    return {
      storageUrl: storage.url,
      executorAddress: executor.address,
      async stop() {
        await executor.stop();
        await storage.close();
      },
    };
  } catch (error) {
    await storage.close();
    throw error;
  }
}

/** The one line `aind dev` shows when its executor runs programs without bubblewrap. */
export function insecureWarning(details: string): string {
  return `WARNING: the dev executor runs programs WITHOUT filesystem isolation (${details}); install the bubblewrap package to isolate them`;
}

/** Waits until the app has committed a block: before that, the queries that follow would fail. */
async function waitForFirstBlock(rpcUrl: string, signal?: AbortSignal): Promise<void> {
  const deadline = Date.now() + CHAIN_WAIT_MS;
  for (;;) {
    signal?.throwIfAborted();
    try {
      // The app's height (ABCI Info): /status shows a block a moment before the app commits it.
      if ((await appHeight(rpcUrl)) >= 1) return;
    } catch {
      // CometBFT is still starting
    }
    if (Date.now() > deadline) throw new Error(`the node at ${rpcUrl} made no block in ${CHAIN_WAIT_MS / 1000} s`);
    // An abort ends the sleep early; the loop's first line then throws its reason.
    await sleep(250, undefined, { signal }).catch(() => undefined);
  }
}

/** Sends the executor its funds from `dev` when it has none (a dev home made before the executor key). */
async function fundExecutor(home: string, rpcUrl: string, address: string): Promise<void> {
  const reader = await StargateClient.connect(rpcUrl);
  try {
    if (BigInt((await reader.getBalance(address, 'uain')).amount) > 0n) return;
  } finally {
    reader.disconnect();
  }
  const dev = await keySigner(getKey(home, 'dev'));
  const client = await connectAin({ rpcUrl, signer: await DirectSecp256k1Wallet.fromKey(dev.privkey, ADDRESS_PREFIX) });
  try {
    await client.signAndBroadcast([
      {
        typeUrl: '/cosmos.bank.v1beta1.MsgSend',
        value: { fromAddress: dev.address, toAddress: address, amount: [{ denom: 'uain', amount: DEV_EXECUTOR_FUNDS.toString() }] },
      },
    ]);
  } finally {
    client.disconnect();
  }
}
