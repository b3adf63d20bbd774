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
import { type ExportedChain, GenesisApps, genesisMutationArb, type Json } from './genesisMutation.fixture.ts';

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

  it('judges a re-run recorded before re-runs kept their token (no weightsHash, fromJob, reproduce) against the token that asked', async () => {
    type Leaves = Record<string, Json>;
    const reruns = (leaves: Leaves) =>
      Object.entries(leaves)
        .filter(([path]) => path.startsWith('/ainft/reruns/'))
        .map(([path, text]) => [path, JSON.parse(text as string) as Record<string, unknown>] as const);
    const section = chain.appState.ainft as { leaves: Leaves };
    const pending = reruns(section.leaves).filter(([, rerun]) => rerun.status === 'pending');
    expect(pending.length).toBe(2);
    const legacy: Leaves = { ...section.leaves };
    for (const [path, { weightsHash, fromJob, reproduce, ...rest }] of pending) legacy[path] = JSON.stringify(rest);
    const settled = (leaves: ExportedChain['appState']) =>
      apps.with((app) => {
        expect(apps.initChain(app, chain, leaves)).toBeUndefined();
        apps.runBlocks(app, chain, chain.chainId);
        const after = reruns((app.exportGenesis() as unknown as { ainft: { leaves: Leaves } }).ainft.leaves);
        return after.filter(([path]) => pending.some(([p]) => p === path)).map(([path, { status, how }]) => [path, status, how]);
      });
    const expected = await settled(chain.appState);
    // The ranked one is reproduced by its score, the open one expires unfinished: as for today's records.
    expect(expected.map(([, status, how]) => [status, how])).toEqual([
      ['reproduced', 'score'],
      ['unfinished', 'no_evaluator'],
    ]);
    expect(await settled({ ...chain.appState, ainft: { ...section, leaves: legacy } })).toEqual(expected);
  });

  it('refuses a mutated ainft or compute leaf, or starts a chain whose blocks never throw', async () => {
    await fc.assert(
      fc.asyncProperty(genesisMutationArb(1, ['ainft', 'compute']), (mutation) => apps.check([chain], { ...mutation, chain: 0 })),
      { seed: 42, numRuns: 150 },
    );
  });
});
