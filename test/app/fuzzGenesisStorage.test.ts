/**
 * Hand-edited genesis files for storage, triggers and state (test/app/genesisMutation.fixture.ts): an
 * export with reservations and their escrow and end index, off-chain calls pending with their escrow
 * and deadlines, and an app's values, rules, owners and functions (test/app/storageGenesis.fixture.ts)
 * is mutated in one place of one of those sections and fed to InitChain. Property: InitChain refuses
 * it with an AinError naming the section, or the chain it starts runs blocks over hours and days of
 * block time without FinalizeBlock throwing. The export also imports as it is and runs those blocks.
 * Triggers gets a property of its own: few of its places are read by a block (the pending calls).
 * State's configs and app records, hand-edited one kind at a time, are refused as their messages
 * would refuse them; its app values stay free-form, but every value and config needs its app's record.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AinError } from '../../core/index.ts';
import { type ExportedChain, GenesisApps, genesisMutationArb, type Json } from './genesisMutation.fixture.ts';
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

  // A config leaf is what MsgSetRule/SetOwner/SetFunction stored: canonical JSON of the config and its pattern.
  it('refuses a config or app record that its message could not have stored, and imports edited app values', async () => {
    const section = chain.appState.state as { leaves: Record<string, Json> };
    const leaves = section.leaves;
    const config = (path: string) => JSON.parse(leaves[path] as string) as Record<string, Json>;
    const edit = (path: string, change: Record<string, Json>) => JSON.stringify({ ...config(path), ...change });
    const notesRule = '/rules/apps/lab/notes';
    const notesOwner = '/owners/apps/lab/notes';
    const quickFunction = '/functions/apps/lab/quick/$';
    const creator = '/manage_app/lab/config/creator';
    const owners = config(notesOwner).owners as Record<string, Record<string, Json>>;
    const { [creator]: _creator, ...withoutCreator } = leaves;
    const cases: Array<[Record<string, Json>, string]> = [
      [
        { ...leaves, [notesRule]: edit(notesRule, { write: 'auth.addr ==' }) },
        `genesis state.leaves["${notesRule}"] is not a config MsgSetRule could have stored: rule.write`,
      ],
      [
        { ...leaves, [notesRule]: edit(notesRule, { state: { max_height: 31 } }) },
        `genesis state.leaves["${notesRule}"] is not a config MsgSetRule could have stored: rule.state.max_height must be an integer from 0 to 30`,
      ],
      [
        { ...leaves, [notesRule]: JSON.stringify({ write: 'true', pattern: '/apps/lab/notes' }) },
        `genesis state.leaves["${notesRule}"] is not a config MsgSetRule could have stored: expected it as stored, {"pattern":"/apps/lab/notes","write":"true"}`,
      ],
      [
        { ...leaves, [notesRule]: edit(notesRule, { pattern: '/apps/lab/other' }) },
        `genesis state.leaves["${notesRule}"] has pattern /apps/lab/other, whose rule config is kept at /rules/apps/lab/other`,
      ],
      [
        { ...leaves, '/rules/apps/lab/quick/$/x': JSON.stringify({ pattern: '/apps/lab/quick/$id/x', write: 'true' }) },
        'genesis state.leaves["/rules/apps/lab/quick/$/x"] calls level 4 of /apps/lab/quick/$id/x $id, but the rule at /apps/lab/quick/$key calls it $key; one variable name per level',
      ],
      [
        { ...leaves, [notesOwner]: edit(notesOwner, { owners: { '*': { ...owners['*'], write_rule: 'yes' } } }) },
        `genesis state.leaves["${notesOwner}"] is not a config MsgSetOwner could have stored: owner.owners["*"].write_rule must be true or false`,
      ],
      [
        { ...leaves, [quickFunction]: edit(quickFunction, { function_type: 'WASM' }) },
        `genesis state.leaves["${quickFunction}"] is not a config MsgSetFunction could have stored: function.function_type must be one of NATIVE, OFFCHAIN`,
      ],
      [
        { ...leaves, '/manage_app/lab/config/admin/alice': true },
        'genesis state.leaves["/manage_app/lab"] is not an app record MsgCreateApp could have written: app admins[1]',
      ],
      [
        { ...leaves, '/manage_app/lab/config/public': 'false' },
        'genesis state.leaves["/manage_app/lab/config/public"] value is not what the module writes',
      ],
      [withoutCreator, `genesis state.leaves lacks "${creator}", a leaf of app lab's record`],
      [
        { ...leaves, '/manage_app/lab/config/owner': 'x' },
        'genesis state.leaves["/manage_app/lab/config/owner"] is not a leaf of an app record',
      ],
    ];
    for (const [edited, message] of cases) {
      const appState = { ...chain.appState, state: { ...section, leaves: edited } };
      await apps.with((app) => {
        const refusal = apps.initChain(app, chain, appState);
        expect(refusal, message).toBeInstanceOf(AinError);
        expect([(refusal as AinError).codespace, (refusal as AinError).code], message).toEqual(['sdk', 18]);
        expect((refusal as AinError).message).toContain(message);
      });
      expect(() => apps.validate(chain, appState), message).toThrow(message);
    }
    const values = { ...leaves, '/apps/lab/notes': 'edited by hand', '/apps/lab/new/x': 5 };
    await apps.with((app) => {
      expect(apps.initChain(app, chain, { ...chain.appState, state: { ...section, leaves: values } })).toBeUndefined();
    });
  });

  // On a chain a config or value under /apps/<app> exists only after MsgCreateApp, and no message
  // deletes an app record: a genesis with one but not the other is hand-made.
  it('refuses a value or config under an app without a record, naming the leaf and the record missing', async () => {
    const section = chain.appState.state as { apps: Json[]; leaves: Record<string, Json> };
    const leaves = section.leaves;
    const labRecord = Object.keys(leaves).filter((path) => path.startsWith('/manage_app/lab/'));
    expect(labRecord.length).toBeGreaterThan(2);
    const withoutLab = Object.fromEntries(Object.entries(leaves).filter(([path]) => !labRecord.includes(path)));
    const missing = (path: string, what: string, app: string) =>
      `genesis state.leaves["${path}"] is ${what} under /apps/${app}, but app ${app} has no record: expected /manage_app/${app}/config`;
    const ghostRule = JSON.stringify({ pattern: '/apps/ghost/x', write: 'true' });
    const ghostOwner = JSON.stringify({
      owners: { '*': { branch_owner: true, write_function: true, write_owner: true, write_rule: true } },
      pattern: '/apps/ghost',
    });
    // The lab's off-chain function, moved to the app ghost.
    const ghostFunction = (leaves['/functions/apps/lab/quick/$'] as string).replaceAll('/apps/lab/', '/apps/ghost/');
    const cases: Array<[Record<string, Json>, string]> = [
      [{ ...leaves, '/rules/apps/ghost/x': ghostRule }, missing('/rules/apps/ghost/x', 'a rule config', 'ghost')],
      [{ ...leaves, '/owners/apps/ghost': ghostOwner }, missing('/owners/apps/ghost', 'an owner config', 'ghost')],
      [
        { ...leaves, '/functions/apps/ghost/quick/$': ghostFunction },
        missing('/functions/apps/ghost/quick/$', 'a function config', 'ghost'),
      ],
      [{ ...leaves, '/apps/ghost/x': 1 }, missing('/apps/ghost/x', 'a value', 'ghost')],
      [withoutLab, 'but app lab has no record: expected /manage_app/lab/config'],
    ];
    for (const [edited, message] of cases) {
      const appState = { ...chain.appState, state: { ...section, leaves: edited } };
      await apps.with((app) => {
        const refusal = apps.initChain(app, chain, appState);
        expect(refusal, message).toBeInstanceOf(AinError);
        expect([(refusal as AinError).codespace, (refusal as AinError).code], message).toEqual(['sdk', 18]);
        expect((refusal as AinError).message).toContain(message);
      });
      expect(() => apps.validate(chain, appState), message).toThrow(message);
    }
    // An app the genesis creates (state.apps, after the leaves) is recorded too.
    const admin = (leaves['/manage_app/lab/config/creator'] as string) ?? '';
    const created = {
      ...section,
      apps: [{ name: 'ghost', admins: [admin], public: false }],
      leaves: { ...leaves, '/rules/apps/ghost/x': ghostRule },
    };
    await apps.with((app) => {
      expect(apps.initChain(app, chain, { ...chain.appState, state: created })).toBeUndefined();
    });
  });
});
