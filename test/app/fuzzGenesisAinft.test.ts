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
import { AinError, canonicalJson, type JsonValue } from '../../core/index.ts';
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

  // The keeper writes `/ainft/by_state<path>`: "<class>/<id>" at mint for a token with a state path and deletes it at burn;
  // claims of a path at, above or below another token's go through it.
  it('refuses a by_state entry that is not the state path of a live token, or a live token whose entry is missing', async () => {
    const section = chain.appState.ainft as { leaves: Record<string, Json> };
    const entries = Object.entries(section.leaves).filter(([path]) => path.startsWith('/ainft/by_state/'));
    expect(entries).toEqual([['/ainft/by_state/apps/chat/log', expect.stringMatching(/\/svc$/)]]);
    const [[entry, label]] = entries as [[string, string]];
    const svc = `/ainft/tokens/${label}`;
    const other = label.replace(/svc$/, 'bundle');
    const bundle = `/ainft/tokens/${other}`;
    const withState = (path: string, state: string) => {
      const token = JSON.parse(section.leaves[path] as string) as { metadata: Record<string, unknown> };
      return canonicalJson({ ...token, metadata: { ...token.metadata, state } } as unknown as JsonValue);
    };
    const { [entry]: _, ...without } = section.leaves;
    const cases: Array<[Record<string, Json>, string]> = [
      [without, `genesis ainft.leaves lacks "${entry}": "${label}", the state path entry of a live token`],
      [{ ...section.leaves, [entry]: other }, `genesis ainft.leaves["${entry}"] is "${other}"; expected "${label}"`],
      [
        { ...section.leaves, '/ainft/by_state/apps/chat/other': label },
        'genesis ainft.leaves["/ainft/by_state/apps/chat/other"] is not the state path entry of a live token',
      ],
      [
        { ...section.leaves, [svc]: withState(svc, '/apps/chat/other') },
        `genesis ainft.leaves lacks "/ainft/by_state/apps/chat/other": "${label}", the state path entry of a live token`,
      ],
      [
        { ...section.leaves, [svc]: withState(svc, '/chat/log') },
        `genesis ainft.leaves["${svc}"] field metadata.state is not what the module writes`,
      ],
      [
        { ...section.leaves, [bundle]: withState(bundle, '/apps/chat/log/x'), [`${entry}/x`]: other },
        `genesis ainft.leaves["${bundle}"] has state path /apps/chat/log/x below /apps/chat/log, token ${label}'s`,
      ],
      [
        { ...section.leaves, [bundle]: withState(bundle, '/apps/chat/log') },
        `genesis ainft.leaves["${svc}"] has state path /apps/chat/log, token ${other}'s too`,
      ],
    ];
    for (const [leaves, message] of cases) {
      const appState = { ...chain.appState, ainft: { ...section, leaves } };
      await apps.with((app) => {
        const refusal = apps.initChain(app, chain, appState);
        expect(refusal, message).toBeInstanceOf(AinError);
        expect([(refusal as AinError).codespace, (refusal as AinError).code]).toEqual(['sdk', 18]);
        expect((refusal as AinError).message).toContain(message);
      });
      expect(() => apps.validate(chain, appState)).toThrow(message);
    }
  });

  it('refuses a mutated ainft or compute leaf, or starts a chain whose blocks never throw', async () => {
    await fc.assert(
      fc.asyncProperty(genesisMutationArb(1, ['ainft', 'compute']), (mutation) => apps.check([chain], { ...mutation, chain: 0 })),
      { seed: 42, numRuns: 150 },
    );
  });
});
