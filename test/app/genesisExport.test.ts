/**
 * Genesis export restores every byte: each recorded block run (`testdata/replay/`, every message type
 * of every module) is replayed, the final state is exported as `app_state` (each module's
 * `exportGenesis`), and a fresh app started from that genesis at the next height reaches the same app
 * hash in InitChain, with the same validator set as the last one sent to CometBFT.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RequestFinalizeBlock, RequestInitChain, type ValidatorUpdate } from 'cosmjs-types/tendermint/abci/types';
import { describe, expect, it } from 'vitest';
import { AinApplication } from '../../app/application.ts';
import { openCommittedState } from '../../tree/lmdb/index.ts';

interface Recording {
  readonly init: string;
  readonly blocks: ReadonlyArray<{ readonly request: string }>;
}

const DIR = join(import.meta.dirname, 'testdata', 'replay');
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
/** The active set as CometBFT holds it: every update applied in order, zero power removing. */
function applyUpdates(set: Map<string, bigint>, updates: readonly ValidatorUpdate[]): void {
  for (const update of updates) {
    const key = hex(update.pubKey!.ed25519!);
    if (update.power === 0n) set.delete(key);
    else set.set(key, update.power);
  }
}

describe('genesis export', () => {
  for (const file of readdirSync(DIR).filter((name) => name.endsWith('.json'))) {
    it(`${file}: a chain started from the exported state has the same app hash`, async () => {
      const recording = JSON.parse(readFileSync(join(DIR, file), 'utf8')) as Recording;
      const dir = mkdtempSync(join(tmpdir(), 'ain-export-'));
      const stores = [openCommittedState(join(dir, 'a.lmdb')), openCommittedState(join(dir, 'b.lmdb'))];
      try {
        const original = new AinApplication(stores[0]!);
        const init = RequestInitChain.decode(Buffer.from(recording.init, 'base64'));
        const validators = new Map<string, bigint>();
        applyUpdates(validators, original.initChain(init).validators);
        let last: { height: bigint; appHash: Uint8Array } = { height: 0n, appHash: new Uint8Array() };
        for (const block of recording.blocks) {
          const request = RequestFinalizeBlock.decode(Buffer.from(block.request, 'base64'));
          const response = original.finalizeBlock(request);
          applyUpdates(validators, response.validatorUpdates);
          original.commit();
          last = { height: request.height, appHash: response.appHash };
        }
        const appState = original.exportGenesis();
        // Through JSON text, as a genesis file carries it.
        const restarted = new AinApplication(stores[1]!);
        const answer = restarted.initChain(
          RequestInitChain.fromPartial({
            chainId: init.chainId,
            initialHeight: last.height + 1n,
            time: init.time,
            appStateBytes: Buffer.from(JSON.stringify(appState)),
          }),
        );
        expect(hex(answer.appHash)).toBe(hex(last.appHash));
        const restartedSet = new Map<string, bigint>();
        applyUpdates(restartedSet, answer.validators);
        expect(restartedSet).toEqual(validators);
      } finally {
        for (const store of stores) await store.close();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
