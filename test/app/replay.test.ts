/**
 * App hashes of recorded blocks stay what they were: each file in `testdata/replay/` holds an
 * InitChain request and a run of FinalizeBlock requests (signed txs of every message type, votes,
 * misbehavior) recorded from the in-process app tests, with the app hash and each tx's
 * codespace/code/gas that the app returned when they were recorded. Replaying them through a fresh
 * app must give the same answers: a refactor that changes a byte of state, a gas charge or a result
 * code fails here, naming the file, the height and the tx. Each file replays twice: with Commit
 * durable on return, and pipelined as the node runs it (the next block runs while lmdb writes).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RequestFinalizeBlock, RequestInitChain } from 'cosmjs-types/tendermint/abci/types';
import { describe, expect, it } from 'vitest';
import { AinApplication } from '../../app/application.ts';
import { openCommittedState } from '../../tree/lmdb/index.ts';

interface Recording {
  readonly init: string;
  readonly initHash: string;
  readonly blocks: ReadonlyArray<{ readonly request: string; readonly appHash: string; readonly results: string }>;
}

const DIR = join(import.meta.dirname, 'testdata', 'replay');
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('recorded blocks replay to the same app hashes', () => {
  const files = readdirSync(DIR).filter((name) => name.endsWith('.json'));
  for (const [file, pipelinedCommit] of files.flatMap((name) => [[name, false] as const, [name, true] as const])) {
    it(`${file}${pipelinedCommit ? ' (pipelined commit)' : ''}`, async () => {
      const recording = JSON.parse(readFileSync(join(DIR, file), 'utf8')) as Recording;
      const dir = mkdtempSync(join(tmpdir(), 'ain-replay-'));
      const store = openCommittedState(join(dir, 'app.lmdb'));
      try {
        const app = new AinApplication(store, { pipelinedCommit });
        const init = app.initChain(RequestInitChain.decode(Buffer.from(recording.init, 'base64')));
        expect(hex(init.appHash), `${file} InitChain`).toBe(recording.initHash);
        for (const block of recording.blocks) {
          const request = RequestFinalizeBlock.decode(Buffer.from(block.request, 'base64'));
          const response = app.finalizeBlock(request);
          const results = response.txResults.map((r) => `${r.codespace}/${r.code}/${r.gasUsed}`).join(',');
          expect(results, `${file} height ${request.height} tx results`).toBe(block.results);
          expect(hex(response.appHash), `${file} height ${request.height} app hash`).toBe(block.appHash);
          await app.commit();
        }
        await store.flushed();
        expect(store.durableHeight, `${file} durable height`).toBe(store.height);
      } finally {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
