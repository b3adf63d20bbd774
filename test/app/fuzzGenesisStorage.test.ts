/**
 * Hand-edited genesis files for storage, triggers and state (test/app/genesisMutation.fixture.ts): an
 * export with reservations and their escrow and end index, off-chain calls pending with their escrow
 * and deadlines, and an app's values, rules, owners and functions (test/app/storageGenesis.fixture.ts)
 * is mutated in one place of one of those sections and fed to InitChain. Property: InitChain refuses
 * it with an AinError naming the section, or the chain it starts runs blocks over hours and days of
 * block time without FinalizeBlock throwing. The export also imports as it is and runs those blocks.
 * Triggers gets a property of its own: few of its places are read by a block (the pending calls).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ExportedChain, GenesisApps, genesisMutationArb } from './genesisMutation.fixture.ts';
import { exportStorageChain } from './storageGenesis.fixture.ts';

const MODULES = ['storage', 'triggers', 'state'];
const apps = new GenesisApps();
let chain: ExportedChain;

beforeAll(async () => {
  chain = await exportStorageChain();
});

afterAll(() => apps.close());

describe('genesis import of a mutated storage, triggers or state section', () => {
  it('imports the export as it is', async () => {
    await apps.with((app) => {
      expect(apps.initChain(app, chain, chain.appState)).toBeUndefined();
      apps.runBlocks(app, chain, chain.chainId);
    });
  });

  it('refuses a mutated leaf with an AinError naming the section, or starts a chain whose blocks never throw', async () => {
    await fc.assert(
      fc.asyncProperty(genesisMutationArb(1, MODULES), (mutation) => apps.check([chain], { ...mutation, chain: 0 })),
      { seed: 42, numRuns: 120 },
    );
  });

  it('refuses a mutated call or pending entry, or starts a chain whose blocks never throw', async () => {
    await fc.assert(
      fc.asyncProperty(genesisMutationArb(1, ['triggers']), (mutation) => apps.check([chain], { ...mutation, chain: 0 })),
      { seed: 42, numRuns: 120 },
    );
  });
});
