/**
 * Registering the executor on chain: `registerExecutor` sends `MsgRegisterExecutor` with this
 * machine's runtimes, CPUs, memory, GPUs and least price, unless the chain already holds the very same
 * record for this address (then it only logs so). Called once by `startExecutor`, before any result is
 * sent, through the shared one-tx-at-a-time client.
 */
import { cpus, totalmem } from 'node:os';
import type { AinClient } from '../client/index.ts';
import { queryExecutors, TRIGGERS_TYPE_URLS } from '../client/index.ts';
import type { MsgRegisterExecutor } from '../proto/gen/ain/triggers/v1/tx.ts';
import type { SandboxRuntime } from './sandbox.ts';

export interface Registration {
  readonly runtimes: readonly SandboxRuntime[];
  /** GPUs found at start and the least memory (MiB) among them (0 and 0: CPU mode). */
  readonly gpus: { readonly count: number; readonly memoryMb: number };
  /** Least price (uain, decimal integer text). */
  readonly price: string;
}

/**
 * Registers `client`'s address as an executor, or leaves an identical registration alone.
 * @example await registerExecutor(client, { runtimes: ['node', 'python3'], gpus: { count: 0, memoryMb: 0 }, price: '0' }, log);
 */
export async function registerExecutor(client: AinClient, registration: Registration, log: (line: string) => void): Promise<void> {
  const address = client.address ?? '';
  const msg: MsgRegisterExecutor = {
    signer: address,
    runtimes: [...registration.runtimes],
    cpu: cpus().length,
    memoryMb: BigInt(Math.floor(totalmem() / (1024 * 1024))),
    gpus: registration.gpus.count,
    gpuMemoryMb: BigInt(registration.gpus.memoryMb),
    runtimeInfo: [],
    price: registration.price,
  };
  const existing = (await queryExecutors(client.cometClient)).find((e) => e.address === address);
  if (
    existing &&
    existing.runtimes.join(',') === msg.runtimes.join(',') &&
    existing.cpu === msg.cpu &&
    existing.memoryMb === msg.memoryMb &&
    existing.gpus === msg.gpus &&
    existing.gpuMemoryMb === msg.gpuMemoryMb &&
    existing.price === msg.price
  ) {
    log(`executor ${address} already registered (runtimes ${msg.runtimes.join(',')})`);
    return;
  }
  const result = (await client.signAndBroadcast([{ typeUrl: TRIGGERS_TYPE_URLS.registerExecutor, value: msg }])).transactionHash;
  log(
    `registered executor ${address}: runtimes ${msg.runtimes.join(',')}, cpu ${msg.cpu}, memory ${msg.memoryMb} MiB, gpus ${msg.gpus} (tx ${result})`,
  );
}
