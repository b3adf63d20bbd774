/**
 * Hand-edited genesis files of governance and the modules around it (test/app/genesisMutation.fixture.ts):
 * an export holding gov proposals in their deposit and voting periods, a scheduled upgrade, a committee
 * with an open proposal, jailed and tombstoned validators and rewards owed (test/app/govGenesis.fixture.ts)
 * imports as it is and runs blocks; mutated in one place of the gov, upgrade, committee, distribution or
 * slashing section, InitChain refuses it with an AinError naming the section, or the chain runs blocks
 * over hours and days of block time without FinalizeBlock throwing.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ExportedChain, GenesisApps, genesisMutationArb } from './genesisMutation.fixture.ts';
import { exportGovChain } from './govGenesis.fixture.ts';

const MODULES = ['gov', 'upgrade', 'committee', 'distribution', 'slashing'];
const apps = new GenesisApps();
let chain: ExportedChain;

beforeAll(async () => {
  chain = await exportGovChain();
});

afterAll(() => apps.close());

describe('genesis import of a mutated governance export', () => {
  it('imports the export as it is and runs blocks', async () => {
    await apps.with((app) => {
      expect(apps.initChain(app, chain, chain.appState)).toBeUndefined();
      apps.runBlocks(app, chain, chain.chainId);
    });
  });

  it('refuses a mutated gov, upgrade, committee, distribution or slashing section, or starts a chain whose blocks never throw', async () => {
    await fc.assert(
      fc.asyncProperty(genesisMutationArb(1, MODULES), (mutation) => apps.check([chain], mutation)),
      { seed: 42, numRuns: 100 },
    );
  });

  // The committee and upgrade sections are small beside gov's: they get their own runs.
  it('refuses a mutated committee or upgrade section, or starts a chain whose blocks never throw', async () => {
    await fc.assert(
      fc.asyncProperty(genesisMutationArb(1, ['committee', 'upgrade']), (mutation) => apps.check([chain], mutation)),
      { seed: 42, numRuns: 60 },
    );
  });
});
