/**
 * Property tests of the state module's JSON values and configs: random JSON and paths are either
 * accepted by validateBasic and the keeper alike, stored in a canonical form that reads back equal,
 * or refused by both with the same AinError, one that names its field; a refused write changes nothing.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AinError, canonicalJson, type JsonValue } from '../../core/index.ts';
import { STATE } from './errors.ts';
import { StateKeeper } from './keeper.ts';
import { validateMsgSetFunction, validateMsgSetOwner, validateMsgSetRule, validateMsgSetValue } from './msgs.ts';
import { ALICE, as, BOB, type TestContext, testContext } from './testUtil.fixture.ts';

const keeper = new StateKeeper();
const CODESPACES = ['state', 'store', 'sdk', 'rules'];

/** A public app `a` (rule `true`) owned by ALICE. */
function app(): TestContext {
  const ctx = testContext();
  keeper.createApp(ctx, ALICE, 'a', [ALICE], true);
  return ctx;
}

/** The outcome of a call: 'ok' or the AinError's code, after checking the error's shape. */
function outcomeOf(fn: () => unknown): string {
  try {
    fn();
    return 'ok';
  } catch (error) {
    if (!(error instanceof AinError)) throw error;
    expect(CODESPACES).toContain(error.codespace);
    expect(error.message.length).toBeGreaterThan(0);
    if (error.codespace === STATE && [1, 2, 8, 9, 10].includes(error.code)) expect(typeof error.meta['field']).toBe('string');
    return `${error.codespace}/${error.code}`;
  }
}

/** Everything stored, as text: to check that a refused write changed nothing. */
const snapshot = (ctx: TestContext) => JSON.stringify([...ctx.store.writes()]);

/** JSON with the awkward corners: keys with '/', '.', '$', '__proto__', controls; -0; huge numbers. */
const key = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom('a', 'b', '0', '.', '..', 'a.b', '__proto__', 'constructor', 'é', '😀') },
  { weight: 1, arbitrary: fc.constantFrom('', 'a/b', '/', '$x', '\u0000', '\ud800', 'x'.repeat(151)) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 4 }) },
);
const numberText = fc.constantFrom(
  '-0',
  '0',
  '1e400',
  '-1e400',
  '1e-400',
  '9007199254740993',
  '0.1',
  '1.5e308',
  '5e-324',
  '123456789012345678901234567890',
);
const scalarText = fc.oneof(
  numberText,
  fc.constantFrom('"NaN"', '"Infinity"', '"\\ud800"', '"\\u0000"', '""', 'true', 'false', 'null', '[]', '{}', '[1]'),
  fc.string({ maxLength: 6 }).map((s) => JSON.stringify(s)),
);
const { node: jsonText } = fc.letrec<{ node: string }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalarText,
    fc
      .array(fc.tuple(key, tie('node')), { maxLength: 4 })
      .map((entries) => `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`),
  ),
}));
const deepText = fc.integer({ min: 1, max: 40 }).map((n) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`);
const valuePath = fc.oneof(
  fc.array(key, { maxLength: 4 }).map((labels) => `/apps/a/${labels.join('/')}`),
  fc.integer({ min: 0, max: 30 }).map((n) => `/apps/a${'/b'.repeat(n)}`),
  fc.constantFrom('/apps/a', 'apps/a/x/', '/apps', '/rules/apps/a', '/apps/a/$x', '/apps//a'),
);

/** The expected stored form of accepted JSON text: canonical JSON with -0 as 0. */
function expectedJson(text: string): string {
  return canonicalJson(JSON.parse(text, (_k, v: unknown) => (Object.is(v, -0) ? 0 : v)) as JsonValue);
}

describe('state values (property)', () => {
  it('set value: validateBasic and the keeper agree; accepted JSON reads back canonically, refused JSON writes nothing', () => {
    fc.assert(
      fc.property(valuePath, fc.oneof({ weight: 4, arbitrary: jsonText }, { weight: 1, arbitrary: deepText }), (path, text) => {
        const ctx = app();
        const before = snapshot(ctx);
        const basic = outcomeOf(() => validateMsgSetValue({ signer: ALICE, path, value: text }));
        const kept = outcomeOf(() => keeper.setValue(ctx, as(ALICE), path, text));
        expect(kept, `${path} ${text}`).toBe(basic);
        if (kept !== 'ok') {
          expect(snapshot(ctx)).toBe(before);
          return;
        }
        expect(canonicalJson(keeper.getValue(ctx.state, path))).toBe(expectedJson(text));
      }),
      { seed: 42, numRuns: 1500 },
    );
  });
});

const permissions = fc.record({
  branch_owner: fc.boolean(),
  write_function: fc.boolean(),
  write_owner: fc.boolean(),
  write_rule: fc.boolean(),
});
const ruleWrite = fc.constantFrom('true', 'auth.addr == $user', 'newData == null', '$nope == 1', 'a ==', '', ' ', 'x'.repeat(5000));
const ruleConfig = fc.oneof(
  fc.record({ write: ruleWrite }, { requiredKeys: [] }),
  fc.record(
    {
      write: ruleWrite,
      state: fc.dictionary(
        fc.constantFrom('max_children', 'max_height', 'max_bytes', 'x'),
        fc.oneof(fc.integer({ min: -1, max: 40 }), fc.constant(2 ** 53), fc.constant(0.5), fc.constant('1')),
      ),
    },
    { requiredKeys: ['state'] },
  ),
);
const ownerConfig = fc.oneof(
  fc.record({ owners: fc.dictionary(fc.constantFrom(ALICE, BOB, '*', 'ain1bad', '__proto__'), permissions) }),
  fc.record({
    owners: fc.dictionary(fc.constantFrom(ALICE, '*'), fc.record({ write_rule: fc.boolean(), extra: fc.boolean() }, { requiredKeys: [] })),
  }),
);
const functionConfig = fc.record(
  {
    function_type: fc.constantFrom('NATIVE', 'OFFCHAIN', 'native', 1),
    function_id: fc.constantFrom('_transfer', 'f', '', '$f', 'a/b', '\u0000'),
    runtime: fc.constantFrom('python3', 'Python'),
    code_hash: fc.constantFrom('0'.repeat(64), 'zz'),
    extra: fc.jsonValue({ maxDepth: 2 }),
  },
  { requiredKeys: ['function_type', 'function_id'] },
);
/** Config patterns: short ones, ones with variables, and ones whose key is near the 1,900-byte bound. */
const keyBytesOf = (path: string) => Buffer.byteLength(path.slice(1), 'utf8') + 1;
const patternPath = fc.oneof(
  fc.array(fc.constantFrom('b', '$user', '$from', '$to', '$1', '..'), { maxLength: 4 }).map((labels) => `/apps/a/${labels.join('/')}`),
  fc.tuple(fc.constantFrom('', '/$user'), fc.integer({ min: 1870, max: 1905 })).map(([variable, bytes]) => {
    const head = `/apps/a${variable}${`/${'x'.repeat(150)}`.repeat(12)}`;
    return `${head}/${'y'.repeat(Math.max(1, bytes - keyBytesOf(head) - 1))}`;
  }),
);

describe('state configs (property)', () => {
  const kinds = [
    { kind: 'rule', config: ruleConfig, basic: validateMsgSetRule, set: keeper.setRule.bind(keeper) },
    { kind: 'owner', config: ownerConfig, basic: validateMsgSetOwner, set: keeper.setOwner.bind(keeper) },
    { kind: 'function', config: functionConfig, basic: validateMsgSetFunction, set: keeper.setFunction.bind(keeper) },
  ] as const;
  for (const { kind, config, basic, set } of kinds) {
    it(`set ${kind}: validateBasic and the keeper agree; accepted configs read back without pattern; refused ones write nothing`, () => {
      fc.assert(
        fc.property(
          patternPath,
          fc.oneof(
            config.map((c) => JSON.stringify(c)),
            jsonText,
          ),
          (path, text) => {
            const ctx = app();
            const before = snapshot(ctx);
            const msg = { signer: ALICE, path, rule: text, owner: text, function: text };
            const basicOutcome = outcomeOf(() => basic(msg));
            const kept = outcomeOf(() => set(ctx, ALICE, path, text));
            expect(kept, `${path} ${text}`).toBe(basicOutcome);
            if (kept !== 'ok') {
              expect(snapshot(ctx)).toBe(before);
              return;
            }
            const parsed = JSON.parse(text) as Record<string, JsonValue> | null;
            const expected = parsed === null ? null : { ...parsed };
            if (expected !== null) delete expected['pattern'];
            expect(canonicalJson(keeper.getConfig(ctx.state, kind, path))).toBe(canonicalJson(expected));
          },
        ),
        { seed: 42, numRuns: 400 },
      );
    });
  }
});
