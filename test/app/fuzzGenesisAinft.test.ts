/**
 * Hand-edited genesis files (test/app/genesisMutation.fixture.ts) for ainft and compute: a genesis
 * exported with tokens, re-runs settled and live (one ranked, one open) and compute's epoch mid-way
 * (test/app/ainftGenesis.fixture.ts) is mutated in one place of the ainft or compute section and fed to
 * InitChain. Property: InitChain refuses it with an AinError naming the section, or the chain it
 * starts runs blocks (the live re-runs settle, the epoch ends on a mint) without FinalizeBlock
 * throwing. The export also imports as it is and runs those blocks.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportAinftChain } from './ainftGenesis.fixture.ts';
import { type ExportedChain, GenesisApps, genesisMutationArb } from './genesisMutation.fixture.ts';

const apps = new GenesisApps();
let chain: ExportedChain;

beforeAll(async () => {
  chain = await exportAinftChain();
});

afterAll(() => apps.close());

describe('genesis import of a mutated ainft and compute export', () => {
  it('imports the export as it is and runs blocks', async () => {
    await apps.with((app) => {
      expect(apps.initChain(app, chain, chain.appState)).toBeUndefined();
      apps.runBlocks(app, chain, chain.chainId);
    });
  });

  it('refuses a mutated ainft or compute leaf, or starts a chain whose blocks never throw', async () => {
    await fc.assert(
      fc.asyncProperty(genesisMutationArb(1, ['ainft', 'compute']), (mutation) => apps.check([chain], { ...mutation, chain: 0 })),
      { seed: 42, numRuns: 150 },
    );
  });
});
