/**
 * Hand-edited genesis files (test/app/genesisMutation.fixture.ts): genesis files exported from two
 * recorded chains (`testdata/replay/`: staking, distribution and slashing state) and from a job market
 * mid-flight (test/app/jobsGenesis.fixture.ts: jobs, reputation trees, live requests) are mutated in
 * one place of any section and fed to InitChain. Property: InitChain refuses it with an AinError
 * naming the section, or the chain it starts runs blocks over hours and days of block time without
 * FinalizeBlock throwing; `aind genesis validate` refuses whatever InitChain refuses. Each export also
 * imports as it is and runs those blocks.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RequestFinalizeBlock, RequestInitChain } from 'cosmjs-types/tendermint/abci/types';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ExportedChain, GenesisApps, genesisMutationArb } from './genesisMutation.fixture.ts';
import { exportJobsChain } from './jobsGenesis.fixture.ts';

const RECORDINGS = ['05.json', '13.json'];
const apps = new GenesisApps();
const chains: ExportedChain[] = [];

beforeAll(async () => {
  for (const file of RECORDINGS) {
    const recording = JSON.parse(readFileSync(join(import.meta.dirname, 'testdata', 'replay', file), 'utf8')) as {
      init: string;
      blocks: { request: string }[];
    };
    const init = RequestInitChain.decode(Buffer.from(recording.init, 'base64'));
    chains.push(
      await apps.with((app) => {
        app.initChain(init);
        let last = { height: 0n, seconds: 0n };
        for (const block of recording.blocks) {
          const request = RequestFinalizeBlock.decode(Buffer.from(block.request, 'base64'));
          app.finalizeBlock(request);
          app.commit();
          last = { height: request.height, seconds: request.time?.seconds ?? 0n };
        }
        const appState = JSON.parse(JSON.stringify(app.exportGenesis())) as ExportedChain['appState'];
        return { chainId: init.chainId, seconds: last.seconds, height: last.height, appState };
      }),
    );
  }
  chains.push(await exportJobsChain());
});

afterAll(() => apps.close());

describe('genesis import of a mutated exported genesis', () => {
  it('imports each export as it is', async () => {
    for (const chain of chains) {
      await apps.with((app) => {
        expect(() => apps.validate(chain, chain.appState)).not.toThrow();
        expect(apps.initChain(app, chain, chain.appState)).toBeUndefined();
        apps.runBlocks(app, chain, chain.chainId);
      });
    }
  });

  it('refuses a mutated one with an AinError naming the section, or starts a chain whose blocks never throw', async () => {
    const modules = Object.keys(chains[0]!.appState);
    await fc.assert(
      fc.asyncProperty(genesisMutationArb(chains.length, modules), (mutation) => apps.check(chains, mutation)),
      { seed: 42, numRuns: 300 },
    );
  });

  it('refuses a mutated jobs record, or starts a chain whose blocks never throw', async () => {
    await fc.assert(
      fc.asyncProperty(genesisMutationArb(chains.length, ['jobs']), (mutation) => apps.check([chains.at(-1)!], { ...mutation, chain: 0 })),
      { seed: 42, numRuns: 150 },
    );
  });
});
