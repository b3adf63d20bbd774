/**
 * Registering the executor on chain: `registerExecutor` sends `MsgRegisterExecutor` with the record
 * the executor built of itself (`serving.ts` `selfRecord`: its runtimes with their probed versions,
 * packages and CUDA, CPUs, memory, GPUs and the memory of its smallest GPU, least price), unless the
 * chain already holds the very same record for this address (then it only logs so). Called once by
 * `startExecutor`, before any result is sent, through the shared one-tx-at-a-time client.
 */
import type { AinClient } from '../client/index.ts';
import { queryExecutors, TRIGGERS_TYPE_URLS } from '../client/index.ts';
import type { Executor } from '../modules/triggers/index.ts';
import type { MsgRegisterExecutor } from '../proto/gen/ain/triggers/v1/tx.ts';

/** A record's fields in one comparable text (the chain stores package names normalized, as `selfRecord` makes them). */
function fingerprint(record: Omit<Executor, 'address'>): string {
  return JSON.stringify([
    record.runtimes,
    record.cpu,
    String(record.memoryMb),
    record.gpus,
    String(record.gpuMemoryMb),
    record.price === '' ? '0' : record.price,
    record.runtimeInfo.map((i) => [i.name, i.kind, i.version, i.cuda, i.packages.map((p) => [p.name, p.version])]),
  ]);
}

/**
 * Registers `client`'s address as `self` says, or leaves an identical registration alone.
 * @example await registerExecutor(client, selfRecord({ ... }), log);
 */
export async function registerExecutor(client: AinClient, self: Executor, log: (line: string) => void): Promise<void> {
  const address = client.address ?? '';
  const msg: MsgRegisterExecutor = {
    signer: address,
    runtimes: [...self.runtimes],
    cpu: self.cpu,
    memoryMb: self.memoryMb,
    gpus: self.gpus,
    gpuMemoryMb: self.gpuMemoryMb,
    runtimeInfo: self.runtimeInfo,
    price: self.price,
  };
  const existing = (await queryExecutors(client.cometClient)).find((e) => e.address === address);
  if (existing && fingerprint(existing) === fingerprint(self)) {
    log(`executor ${address} already registered (runtimes ${msg.runtimes.join(',')})`);
    return;
  }
  const result = (await client.signAndBroadcast([{ typeUrl: TRIGGERS_TYPE_URLS.registerExecutor, value: msg }])).transactionHash;
  log(
    `registered executor ${address}: runtimes ${msg.runtimes.join(',')}, cpu ${msg.cpu}, memory ${msg.memoryMb} MiB, gpus ${msg.gpus}` +
      `${msg.gpus > 0 ? ` (${msg.gpuMemoryMb} MiB each at least)` : ''} (tx ${result})`,
  );
}
