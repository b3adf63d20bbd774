/**
 * The parts the in-process benchmarks (`app.ts`, `catchUp.ts`) share: an app on lmdb past its first
 * block, with funded accounts, and pre-signed sends among them.
 */
import { join } from 'node:path';
import { RequestFinalizeBlock, RequestInitChain } from 'cosmjs-types/tendermint/abci/types';
import { AinApplication } from '../app/application.ts';
import { addGenesisAccount, defaultAppState } from '../app/genesis.ts';
import { sendMsg, signTx, type TestKey, testKey } from '../test/helpers/tx.ts';
import { type CommittedState, openCommittedState } from '../tree/lmdb/index.ts';

export const BENCH_CHAIN_ID = 'ain-bench-1';

/** `accounts` keys, the i-th with account number i in `openBenchApp`'s genesis. */
export function benchKeys(accounts: number): TestKey[] {
  return Array.from({ length: accounts }, (_, i) => testKey(`bench-${i}`));
}

/** An app in `dir`/`name` whose genesis funds `keys`, with block 1 (empty) committed. */
export function openBenchApp(dir: string, name: string, keys: readonly TestKey[]): { store: CommittedState; app: AinApplication } {
  let genesis = defaultAppState();
  for (const key of keys) genesis = addGenesisAccount(genesis, key.address, [{ denom: 'uain', amount: 1_000_000_000_000n }]);
  const store = openCommittedState(join(dir, name));
  const app = new AinApplication(store);
  app.initChain(
    RequestInitChain.fromPartial({ chainId: BENCH_CHAIN_ID, initialHeight: 1n, appStateBytes: Buffer.from(JSON.stringify(genesis)) }),
  );
  app.finalizeBlock(RequestFinalizeBlock.fromPartial({ height: 1n, txs: [] }));
  app.commit();
  return { store, app };
}

/**
 * `txsPerAccount` signed sends of 1uain from each key to the next, round-robin over the keys (so a
 * block mixes senders as a real mempool does), sequences from 0.
 */
export function signedSends(keys: readonly TestKey[], txsPerAccount: number): Uint8Array[] {
  const txs: Uint8Array[] = [];
  for (let seq = 0; seq < txsPerAccount; seq++) {
    keys.forEach((key, i) =>
      txs.push(
        signTx({
          key,
          chainId: BENCH_CHAIN_ID,
          accountNumber: BigInt(i),
          sequence: BigInt(seq),
          messages: [sendMsg(key.address, keys[(i + 1) % keys.length]!.address, '1')],
          fee: [{ denom: 'uain', amount: '2500' }],
          gasLimit: 100_000n,
        }),
      ),
    );
  }
  return txs;
}
