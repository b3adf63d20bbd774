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
import { AinError } from '../../core/index.ts';
import { type ExportedChain, GenesisApps, genesisMutationArb, type Json } from './genesisMutation.fixture.ts';
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

  // A vote's options as msgs.ts takes them from a tx: each option once, in ascending order, each weight above 0, all adding up to 1 (10^18).
  it('refuses a vote whose weights a tx could not have stored, and imports a weighted one a tx could', async () => {
    const section = chain.appState.gov as { leaves: Record<string, Json> };
    const path = Object.keys(section.leaves).find((p) => p.startsWith('/gov/votes/'))!;
    const ONE = 10n ** 18n;
    const opt = (option: number, weight: bigint) => ({ option, weight: `${weight}` });
    const withOptions = (options: ReturnType<typeof opt>[]) => ({
      ...chain.appState,
      gov: { ...section, leaves: { ...section.leaves, [path]: JSON.stringify({ metadata: '', options }) } },
    });
    const refused = [
      {
        options: [opt(1, ONE / 2n)],
        message: /field options is not what the module writes: weights add up to 500000000000000000; expected exactly 1 \(10\^18\)/,
      },
      {
        options: [opt(1, ONE), opt(3, ONE)],
        message: /field options is not what the module writes: weights add up to 2000000000000000000/,
      },
      { options: [opt(1, ONE), opt(3, 0n)], message: /field options\.1\.weight is not what the module writes: 0; expected above 0/ },
      {
        options: [opt(1, ONE / 2n), opt(1, ONE / 2n)],
        message: /field options\.1\.option is not what the module writes: VOTE_OPTION_YES is given twice/,
      },
      // A tx stores the options sorted by option; another order would give another app hash.
      {
        options: [opt(3, (ONE * 3n) / 10n), opt(1, (ONE * 7n) / 10n)],
        message:
          /field options\.1\.option is not what the module writes: VOTE_OPTION_YES after VOTE_OPTION_NO; expected the options in ascending order \(VOTE_OPTION_YES, VOTE_OPTION_ABSTAIN, VOTE_OPTION_NO, VOTE_OPTION_NO_WITH_VETO\), as a tx stores them/,
      },
    ];
    for (const { options, message } of refused) {
      const appState = withOptions(options);
      await apps.with((app) => {
        const refusal = apps.initChain(app, chain, appState);
        expect(refusal).toBeInstanceOf(AinError);
        expect([(refusal as AinError).codespace, (refusal as AinError).code]).toEqual(['sdk', 18]);
        expect((refusal as AinError).message).toContain(`genesis gov.leaves["${path}"] field options`);
        expect((refusal as AinError).message).toMatch(message);
      });
      expect(() => apps.validate(chain, appState)).toThrow(message);
    }
    const split = withOptions([opt(1, (ONE * 7n) / 10n), opt(3, (ONE * 3n) / 10n)]);
    await apps.with((app) => {
      expect(apps.initChain(app, chain, split)).toBeUndefined();
      apps.runBlocks(app, chain, 'a weighted vote');
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
