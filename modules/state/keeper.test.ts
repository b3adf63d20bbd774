import { describe, expect, it } from 'vitest';
import { ErrOutOfGas, ErrUnauthorized, toAbciEvents, canonicalJson, type JsonValue } from '../../core/index.ts';
import { ErrRuleSyntax } from './rules/index.ts';
import {
  ErrAppExists,
  ErrInvalidArithmetic,
  ErrInvalidStatePath,
  ErrInvalidValue,
  ErrNoRule,
  ErrPermissionDenied,
  ErrRuleSearchLimit,
  ErrStateRuleViolated,
  ErrValueTooLarge,
  ErrVariableConflict,
  ErrWriteRefused,
} from './errors.ts';
import { StateKeeper } from './keeper.ts';
import { validateMsgSetFunction, validateMsgSetOwner, validateMsgSetRule } from './msgs.ts';
import { MAX_RULE_SEARCH_NODES } from './ruleMatch.ts';
import { ALICE, as, BOB, CAROL, type TestContext, testContext, thrown } from './testUtil.fixture.ts';

const keeper = new StateKeeper();
const POSTS_RULE = JSON.stringify({ write: 'auth.addr == $user' });

/** A blog app administered by ALICE, whose posts rule lets only the author write `/apps/blog/posts/$user/...`. */
function blog(isPublic = false): TestContext {
  const ctx = testContext();
  keeper.createApp(ctx, ALICE, 'blog', [ALICE], isPublic);
  keeper.setRule(ctx, ALICE, '/apps/blog/posts/$user', POSTS_RULE);
  return ctx;
}

const get = (ctx: TestContext, path: string, depth = 0) => keeper.getValue(ctx.state, path, depth);

describe('StateKeeper: apps', () => {
  it('creates an app: admin records, owner config and the admin rule', () => {
    const ctx = testContext();
    keeper.createApp(ctx, BOB, 'blog', [ALICE, CAROL], false);
    expect(get(ctx, '/manage_app/blog/config')).toEqual({ admin: { [ALICE]: true, [CAROL]: true }, creator: BOB, public: false });
    expect(keeper.getConfig(ctx.state, 'rule', '/apps/blog')).toEqual({ write: "isAppAdmin('blog', auth.addr)" });
    const all = { branch_owner: true, write_function: true, write_owner: true, write_rule: true };
    expect(keeper.getConfig(ctx.state, 'owner', '/apps/blog')).toEqual({ owners: { [ALICE]: all, [CAROL]: all } });
    expect(ctx.store.get('/rules/apps/blog')).toBe(`{"pattern":"/apps/blog","write":"isAppAdmin('blog', auth.addr)"}`);
    expect(toAbciEvents(ctx.events.events).map((e) => e.type)).toEqual([
      'ain.state.v1.EventAppCreated',
      'ain.state.v1.EventOwnerSet',
      'ain.state.v1.EventRuleSet',
    ]);
    expect(ctx.events.events[0]!.attributes).toEqual([
      ['name', 'blog'],
      ['admins', `${ALICE},${CAROL}`],
    ]);
    expect(thrown(() => keeper.createApp(ctx, BOB, 'blog', [BOB], true)).is(ErrAppExists)).toBe(true);
  });

  it('lets admins write a private app and refuses others naming the rule; a public app lets anyone', () => {
    const ctx = blog();
    keeper.setValue(ctx, as(ALICE), '/apps/blog/title', '"Hello"');
    const refused = thrown(() => keeper.setValue(ctx, as(BOB), '/apps/blog/title', '"Mine"'));
    expect(refused.is(ErrWriteRefused)).toBe(true);
    expect(refused.message).toContain('write refused by rule at /apps/blog: ');
    expect(refused.meta).toMatchObject({ rulePath: '/apps/blog', path: '/apps/blog/title' });
    const open = testContext();
    keeper.createApp(open, ALICE, 'wiki', [ALICE], true);
    keeper.setValue(open, as(BOB), '/apps/wiki/page', '"anyone"');
    expect(get(open, '/apps/wiki/page')).toBe('anyone');
  });

  it('refuses writes where no rule applies and paths outside /apps/<app>', () => {
    const ctx = blog();
    expect(thrown(() => keeper.setValue(ctx, as(ALICE), '/apps/nope/x', '1')).is(ErrNoRule)).toBe(true);
    for (const path of ['/accounts/x', '/apps', '/', '/manage_app/blog/config/public']) {
      const error = thrown(() => keeper.setValue(ctx, as(ALICE), path, '1'));
      expect(error.is(ErrUnauthorized)).toBe(true);
      expect(error.message).toContain('/apps/<app>/...');
    }
    expect(thrown(() => keeper.setRule(ctx, ALICE, '/rules/x', POSTS_RULE)).is(ErrUnauthorized)).toBe(true);
  });
});

describe('StateKeeper: values', () => {
  it('lets only the author write /apps/blog/posts/$user/..., naming the rule path when refusing', () => {
    const ctx = blog();
    keeper.setValue(ctx, as(BOB), `/apps/blog/posts/${BOB}/p1`, JSON.stringify({ title: 'Hi', body: 'first' }));
    expect(get(ctx, `/apps/blog/posts/${BOB}`)).toEqual({ p1: { body: 'first', title: 'Hi' } });
    const refused = thrown(() => keeper.setValue(ctx, as(CAROL), `/apps/blog/posts/${BOB}/p1/title`, '"hacked"'));
    expect(refused.is(ErrWriteRefused)).toBe(true);
    expect(refused.message).toContain('write refused by rule at /apps/blog/posts/$user: `auth.addr == $user` is false');
    expect(get(ctx, `/apps/blog/posts/${BOB}/p1/title`)).toBe('Hi');
  });

  it('writes objects as leaves, replaces what was at and under the path and any primitive above it', () => {
    const ctx = blog();
    keeper.setValue(ctx, as(ALICE), '/apps/blog/cfg', JSON.stringify({ a: 1, b: { c: true, d: 'x' } }));
    expect(ctx.store.get('/apps/blog/cfg/b/c')).toBe(true);
    keeper.setValue(ctx, as(ALICE), '/apps/blog/cfg/b', JSON.stringify({ e: 2 }));
    expect(get(ctx, '/apps/blog/cfg')).toEqual({ a: 1, b: { e: 2 } });
    keeper.setValue(ctx, as(ALICE), '/apps/blog/cfg/a/deeper', '3');
    expect(ctx.store.get('/apps/blog/cfg/a')).toBeUndefined();
    expect(get(ctx, '/apps/blog/cfg')).toEqual({ a: { deeper: 3 }, b: { e: 2 } });
    keeper.setValue(ctx, as(ALICE), '/apps/blog/cfg', '"flat"');
    expect(ctx.store.list('/apps/blog/cfg', 10)).toEqual([['/apps/blog/cfg', 'flat']]);
    keeper.setValue(ctx, as(ALICE), '/apps/blog/cfg', 'null');
    expect(get(ctx, '/apps/blog/cfg')).toBeNull();
    keeper.setValue(ctx, as(ALICE), '/apps/blog/cfg', JSON.stringify({ x: { y: 1 } }));
    keeper.deleteValue(ctx, as(ALICE), '/apps/blog/cfg/x');
    expect(ctx.store.list('/apps/blog/cfg', 10)).toEqual([]);
  });

  it('reads deep and shallow, keys sorted by code unit, labels like __proto__ as plain keys', () => {
    const ctx = blog();
    keeper.setValue(ctx, as(ALICE), '/apps/blog/m', '{"b":1,"10":{"x":1},"9":"nine","__proto__":{"constructor":"c"}}');
    const deep = get(ctx, '/apps/blog/m') as Record<string, JsonValue>;
    expect(Object.keys(deep)).toEqual(expect.arrayContaining(['10', '9', '__proto__', 'b']));
    expect(deep['__proto__']).toEqual({ constructor: 'c' });
    expect(canonicalJson(get(ctx, '/apps/blog/m', 1))).toBe('{"10":true,"9":"nine","__proto__":true,"b":1}');
    expect(canonicalJson(deep)).toBe('{"10":{"x":1},"9":"nine","__proto__":{"constructor":"c"},"b":1}');
    expect(get(ctx, '/apps/blog/m/9', 1)).toBe('nine');
    expect(get(ctx, '/apps/blog/nothing')).toBeNull();
  });

  it('refuses arrays, empty objects, nested null, $ keys and non-finite numbers; bounds size, leaves and depth', () => {
    const ctx = blog();
    const bad: Array<[string, string]> = [
      ['[1,2]', 'arrays are not stored'],
      ['{"a":{}}', 'empty object at /apps/blog/v/a'],
      ['{}', 'empty object at /apps/blog/v'],
      ['{"a":null}', 'null at /apps/blog/v/a'],
      ['{"$x":1}', "starts with '$'"],
      ['{"a/b":1}', "contains '/'"],
      ['{"":1}', 'empty key'],
      ['1e999', 'not finite'],
      ['{"a":', 'value is not JSON'],
    ];
    for (const [text, message] of bad) {
      const error = thrown(() => keeper.setValue(ctx, as(ALICE), '/apps/blog/v', text));
      expect({ text, code: error.code, codespace: error.codespace }).toEqual({ text, code: ErrInvalidValue.code, codespace: 'state' });
      expect(error.message).toContain(message);
    }
    const many = JSON.stringify(Object.fromEntries(Array.from({ length: 1001 }, (_, i) => [`k${i}`, i])));
    expect(thrown(() => keeper.setValue(ctx, as(ALICE), '/apps/blog/v', many)).is(ErrValueTooLarge)).toBe(true);
    expect(thrown(() => keeper.setValue(ctx, as(ALICE), '/apps/blog/v', JSON.stringify('x'.repeat(17_000)))).message).toContain(
      'at most 16384',
    );
    let nested: unknown = 1;
    for (let i = 0; i < 28; i++) nested = { n: nested };
    expect(thrown(() => keeper.setValue(ctx, as(ALICE), '/apps/blog/v', JSON.stringify(nested))).is(ErrValueTooLarge)).toBe(true);
    expect(thrown(() => keeper.setValue(ctx, as(ALICE), '/apps/blog/$v', '1')).is(ErrInvalidStatePath)).toBe(true);
    expect(ctx.store.list('/apps/blog', 10)).toEqual([]);
  });

  it('increments and decrements safe integers only', () => {
    const ctx = blog();
    keeper.addValue(ctx, as(ALICE), '/apps/blog/n', '5', 1);
    keeper.addValue(ctx, as(ALICE), '/apps/blog/n', '7', -1);
    expect(get(ctx, '/apps/blog/n')).toBe(-2);
    keeper.addValue(ctx, as(ALICE), '/apps/blog/n', '-3', 1);
    expect(get(ctx, '/apps/blog/n')).toBe(-5);
    const cases: Array<[string, string]> = [
      ['2.5', 'fractional arithmetic is not done on chain'],
      ['1e3', 'not an integer'],
      ['99999999999999999', 'not an integer'],
    ];
    for (const [delta, message] of cases) {
      const error = thrown(() => keeper.addValue(ctx, as(ALICE), '/apps/blog/n', delta, 1));
      expect(error.is(ErrInvalidArithmetic)).toBe(true);
      expect(error.message).toContain(message);
    }
    keeper.setValue(ctx, as(ALICE), '/apps/blog/n', String(Number.MAX_SAFE_INTEGER));
    expect(thrown(() => keeper.addValue(ctx, as(ALICE), '/apps/blog/n', '1', 1)).message).toContain('safe integer range');
    keeper.setValue(ctx, as(ALICE), '/apps/blog/s', '"5"');
    expect(thrown(() => keeper.addValue(ctx, as(ALICE), '/apps/blog/s', '1', 1)).message).toContain('not a safe integer');
    keeper.setValue(ctx, as(ALICE), '/apps/blog/f', '1.5');
    expect(thrown(() => keeper.addValue(ctx, as(ALICE), '/apps/blog/f', '1', 1)).is(ErrInvalidArithmetic)).toBe(true);
    keeper.setValue(ctx, as(ALICE), '/apps/blog/o', '{"a":1}');
    expect(thrown(() => keeper.addValue(ctx, as(ALICE), '/apps/blog/o', '1', 1)).message).toContain('is an object');
    expect(
      toAbciEvents(ctx.events.events)
        .filter((e) => e.type === 'ain.state.v1.EventValueWritten')
        .map((e) => e.attributes[2]!.value),
    ).toEqual(['inc_value', 'dec_value', 'inc_value', 'set_value', 'set_value', 'set_value', 'set_value']);
  });

  it('checks the rule of every written or removed leaf whose closest rule is another one', () => {
    const ctx = blog(true); // the app root rule is `true`: anyone may write /apps/blog itself
    keeper.setValue(ctx, as(BOB), `/apps/blog/posts/${BOB}/p1`, '"bob\'s"');
    // Writing at /apps/blog/posts passes the root rule, but the leaves land under posts/$user.
    const smuggled = thrown(() =>
      keeper.setValue(ctx, as(CAROL), '/apps/blog/posts', JSON.stringify({ [CAROL]: { p: 'mine' }, [BOB]: { p1: 'overwritten' } })),
    );
    expect(smuggled.message).toContain('write refused by rule at /apps/blog/posts/$user');
    expect(smuggled.meta['path']).toBe(`/apps/blog/posts/${BOB}`);
    // Removing someone else's leaves by replacing or deleting an ancestor is refused the same way.
    expect(
      thrown(() => keeper.setValue(ctx, as(CAROL), '/apps/blog/posts', JSON.stringify({ [CAROL]: { p: 'mine' } }))).is(ErrWriteRefused),
    ).toBe(true);
    expect(thrown(() => keeper.deleteValue(ctx, as(CAROL), '/apps/blog')).is(ErrWriteRefused)).toBe(true);
    expect(get(ctx, `/apps/blog/posts/${BOB}/p1`)).toBe("bob's");
    keeper.setValue(ctx, as(BOB), '/apps/blog/posts', JSON.stringify({ [BOB]: { p1: 'one', p2: 'two' } }));
    expect(get(ctx, '/apps/blog/posts', 1)).toEqual({ [BOB]: true });
  });

  it('judges a primitive replaced above the path by its own rule, with that leaf as the context', () => {
    const ctx = blog(true);
    keeper.setRule(ctx, ALICE, '/apps/blog/a', JSON.stringify({ write: `auth.addr == '${ALICE}' || !exists(data)` }));
    keeper.setRule(ctx, ALICE, '/apps/blog/a/$k', JSON.stringify({ write: 'true' }));
    keeper.setValue(ctx, as(ALICE), '/apps/blog/a', '1');
    const refused = thrown(() => keeper.setValue(ctx, as(BOB), '/apps/blog/a/x', '2'));
    expect(refused.meta).toMatchObject({ rulePath: '/apps/blog/a', path: '/apps/blog/a' });
    keeper.setValue(ctx, as(ALICE), '/apps/blog/a/x', '2');
    keeper.setValue(ctx, as(BOB), '/apps/blog/a/y', '3');
    expect(get(ctx, '/apps/blog/a')).toEqual({ x: 2, y: 3 });
  });

  it('gives rules data, newData, vars, path, height, time and state reads', () => {
    const ctx = blog();
    keeper.setRule(
      ctx,
      ALICE,
      '/apps/blog/counter/$k',
      JSON.stringify({
        write:
          "newData == (exists(data) ? data + 1 : 1) && path[3] == $k && height == 42 && time == 1700000000000 && getValue('/apps/blog/open') == true",
      }),
    );
    expect(thrown(() => keeper.setValue(ctx, as(BOB), '/apps/blog/counter/a', '1')).message).toContain(
      "getValue('/apps/blog/open') == true",
    );
    keeper.setValue(ctx, as(ALICE), '/apps/blog/open', 'true');
    keeper.setValue(ctx, as(BOB), '/apps/blog/counter/a', '1');
    keeper.addValue(ctx, as(BOB), '/apps/blog/counter/a', '1', 1);
    expect(thrown(() => keeper.setValue(ctx, as(BOB), '/apps/blog/counter/a', '5')).is(ErrWriteRefused)).toBe(true);
    expect(get(ctx, '/apps/blog/counter/a')).toBe(2);
  });

  it('charges rule gas to the tx meter and fails with out of gas past the limit', () => {
    const { store } = blog();
    const measured = testContext(store.child());
    const report = keeper.setValue(measured, as(ALICE), '/apps/blog/x', '1');
    expect(report).toEqual({ rulePath: '/apps/blog', ruleGas: expect.any(Number) });
    expect(report.ruleGas).toBeGreaterThan(1000); // isAppAdmin reads state
    expect(measured.gas.consumed).toBeGreaterThan(report.ruleGas);
    const tight = testContext(store.child(), measured.gas.consumed - 1);
    expect(thrown(() => keeper.setValue(tight, as(ALICE), '/apps/blog/x', '1')).is(ErrOutOfGas)).toBe(true);
  });
});

describe('StateKeeper: rule matching', () => {
  it('prefers the deepest rule, then literal labels earlier, and binds $vars', () => {
    const ctx = blog();
    keeper.setRule(ctx, ALICE, '/apps/blog/$a/b', JSON.stringify({ write: '$a == "x"' }));
    keeper.setRule(ctx, ALICE, '/apps/blog/x/$b', JSON.stringify({ write: '$b == "b"' }));
    keeper.setRule(ctx, ALICE, '/apps/blog/$a/b/$c/d', JSON.stringify({ write: 'true' }));
    const match = (path: string) => {
      const m = keeper.matchRule(ctx.state, path);
      return m && { pattern: m.pattern, node: m.node, vars: { ...m.vars } };
    };
    expect(match('/apps/blog/x/b')).toEqual({ pattern: '/apps/blog/x/$b', node: '/apps/blog/x/b', vars: { $b: 'b' } });
    expect(match('/apps/blog/y/b/z')).toEqual({ pattern: '/apps/blog/$a/b', node: '/apps/blog/y/b', vars: { $a: 'y' } });
    expect(match('/apps/blog/x/b/c/d/e')).toEqual({
      pattern: '/apps/blog/$a/b/$c/d',
      node: '/apps/blog/x/b/c/d',
      vars: { $a: 'x', $c: 'c' },
    });
    expect(match('/apps/blog/q')).toEqual({ pattern: '/apps/blog', node: '/apps/blog', vars: {} });
    expect(match('/apps/other/q')).toBeUndefined();
  });

  it('keeps one variable name per level, and bounds the search', () => {
    const ctx = blog();
    const conflict = thrown(() => keeper.setRule(ctx, ALICE, '/apps/blog/posts/$id/x', POSTS_RULE.replace('$user', '$id')));
    expect(conflict.is(ErrVariableConflict)).toBe(true);
    expect(conflict.message).toContain('/apps/blog/posts/$user');
    keeper.setRule(ctx, ALICE, '/apps/blog/posts/$user', 'null');
    keeper.setRule(ctx, ALICE, '/apps/blog/posts/$id/x', JSON.stringify({ write: '$id != ""' }));
    // 2^9 literal/$ combinations all exist: the search gives up past its bound rather than walk them.
    const wide = testContext();
    keeper.createApp(wide, ALICE, 'wide', [ALICE], true);
    const labels = Array.from({ length: 9 }, (_, i) => `l${i}`);
    for (let mask = 0; mask < 1 << labels.length; mask++) {
      const path = labels.map((l, i) => (mask & (1 << i) ? `$v${i}` : l)).join('/');
      wide.store.set(`/rules/apps/wide/${path.replace(/\$v\d/g, '$')}`, JSON.stringify({ pattern: `/apps/wide/${path}`, write: 'true' }));
    }
    expect(MAX_RULE_SEARCH_NODES).toBe(256);
    expect(thrown(() => keeper.setValue(wide, as(ALICE), `/apps/wide/${labels.join('/')}`, '1')).is(ErrRuleSearchLimit)).toBe(true);
  });

  it('refuses rules that do not compile, naming the position, and unbound $vars', () => {
    const ctx = blog();
    const syntax = thrown(() => keeper.setRule(ctx, ALICE, '/apps/blog/a', JSON.stringify({ write: 'auth.addr ==' })));
    expect(syntax.is(ErrRuleSyntax)).toBe(true);
    expect(syntax.message).toMatch(/1:13/);
    expect(thrown(() => keeper.setRule(ctx, ALICE, '/apps/blog/a', JSON.stringify({ write: '$user == auth.addr' }))).codespace).toBe(
      'rules',
    );
  });

  it('refuses in validateBasic and the keeper a pattern whose config path would pass the store key bound', () => {
    // 12 labels of 150 plus `apps`, `blog` and a last label: a 1,900-byte value path, valid as a value path.
    const head = `/apps/blog${`/${'x'.repeat(150)}`.repeat(12)}`;
    const pattern = (keyBytes: number) => `${head}/${'y'.repeat(keyBytes - head.length - 1)}`;
    const rule = JSON.stringify({ write: 'true' });
    const owner = JSON.stringify({ owners: { '*': { branch_owner: true, write_function: true, write_owner: true, write_rule: true } } });
    const fn = JSON.stringify({ function_type: 'NATIVE', function_id: '_transfer' });
    const ctx = blog();
    const before = JSON.stringify([...ctx.store.writes()]);
    const refusals = [
      () => validateMsgSetRule({ signer: ALICE, path: pattern(1900), rule }),
      () => keeper.setRule(ctx, ALICE, pattern(1900), rule),
      () => keeper.setRule(ctx, ALICE, pattern(1894), rule),
      () => keeper.setRule(ctx, ALICE, pattern(1895), 'null'),
      () => validateMsgSetOwner({ signer: ALICE, path: pattern(1894), owner }),
      () => keeper.setOwner(ctx, ALICE, pattern(1894), owner),
      () => validateMsgSetFunction({ signer: ALICE, path: pattern(1891), function: fn }),
      () => keeper.getConfig(ctx.state, 'function', pattern(1891)),
    ];
    for (const refused of refusals) {
      const error = thrown(refused);
      expect(error.is(ErrInvalidStatePath), error.message).toBe(true);
      expect(error.message).toContain('is a path the store refuses');
    }
    expect(JSON.stringify([...ctx.store.writes()])).toBe(before);
    // The longest that fit: /rules adds 6 key bytes and the owner lookup /owners 7, /functions 10.
    keeper.setRule(ctx, ALICE, pattern(1893), rule);
    keeper.setOwner(ctx, ALICE, pattern(1893), owner);
    expect(keeper.getConfig(ctx.state, 'rule', pattern(1893))).toEqual({ write: 'true' });
  });
});

describe('StateKeeper: state rules', () => {
  it('enforces max_children, max_height and max_bytes after the write, naming the limit', () => {
    const ctx = blog(true);
    keeper.setRule(ctx, ALICE, '/apps/blog/box', JSON.stringify({ state: { max_children: 2, max_height: 2, max_bytes: 40 } }));
    keeper.setValue(ctx, as(BOB), '/apps/blog/box/a', '1');
    keeper.setValue(ctx, as(BOB), '/apps/blog/box/b/c', '1');
    const children = thrown(() => keeper.setValue(ctx, as(BOB), '/apps/blog/box/c', '1'));
    expect(children.is(ErrStateRuleViolated)).toBe(true);
    expect(children.message).toContain('/apps/blog/box would have 3 children, more than max_children 2 of the rule at /apps/blog/box');
    expect(thrown(() => keeper.setValue(ctx, as(BOB), '/apps/blog/box/b/c/d', '1')).message).toContain('max_height 2');
    expect(thrown(() => keeper.setValue(ctx, as(BOB), '/apps/blog/box/a', JSON.stringify('x'.repeat(40)))).message).toContain(
      'max_bytes 40',
    );
    // A state-only config does not decide writes: the root rule still does.
    expect(keeper.matchRule(ctx.state, '/apps/blog/box/a')!.pattern).toBe('/apps/blog');
    keeper.deleteValue(ctx, as(BOB), '/apps/blog/box/a');
  });
});

describe('StateKeeper: owners and functions', () => {
  it('needs write_rule / write_function of the closest owner config, naming it', () => {
    const ctx = blog();
    const denied = thrown(() => keeper.setRule(ctx, BOB, '/apps/blog/x', JSON.stringify({ write: 'true' })));
    expect(denied.is(ErrPermissionDenied)).toBe(true);
    expect(denied.message).toContain(`owner config at /apps/blog does not give ${BOB} write_rule`);
    expect(
      thrown(() =>
        keeper.setFunction(ctx, BOB, '/apps/blog/x/$from/$to', JSON.stringify({ function_type: 'NATIVE', function_id: '_transfer' })),
      ).message,
    ).toContain('write_function');
    // The fields of each kind are the triggers module's (modules/triggers/functions.test.ts).
    const notify = {
      function_type: 'OFFCHAIN',
      function_id: 'notify',
      runtime: 'node',
      code_hash: 'a'.repeat(64),
      resources: { cpu: 1, memory_mb: 128, gpus: 0, gpu_memory_mb: 0 },
      timeout_blocks: 5,
      price: '100',
      output_path: '/apps/blog/out/$id',
      executors: 'any',
    };
    keeper.setFunction(ctx, ALICE, '/apps/blog/x/$id', JSON.stringify(notify));
    expect(keeper.getConfig(ctx.state, 'function', '/apps/blog/x/$id')).toEqual(notify);
    expect(
      thrown(() => keeper.setFunction(ctx, ALICE, '/apps/blog/x/$id', JSON.stringify({ ...notify, url: 'https://x' }))).message,
    ).toContain('unknown key "url"');
    expect(keeper.getConfig(ctx.state, 'function', '/apps/blog/x/$other')).toBeNull();
    expect(
      thrown(() => keeper.setFunction(ctx, ALICE, '/apps/blog/y', JSON.stringify({ function_type: 'REST', function_id: 'f' }))).message,
    ).toContain('function_type');
  });

  it('needs write_owner on an exact config, else branch_owner above; * stands for anyone without an entry', () => {
    const ctx = blog();
    const owners = (entries: Record<string, [boolean, boolean, boolean, boolean]>) =>
      JSON.stringify({
        owners: Object.fromEntries(
          Object.entries(entries).map(([who, [branch_owner, write_function, write_owner, write_rule]]) => [
            who,
            { branch_owner, write_function, write_owner, write_rule },
          ]),
        ),
      });
    expect(thrown(() => keeper.setOwner(ctx, BOB, '/apps/blog/team', owners({ [BOB]: [true, true, true, true] }))).message).toContain(
      `owner config at /apps/blog does not give ${BOB} branch_owner`,
    );
    keeper.setOwner(ctx, ALICE, '/apps/blog/team', owners({ [BOB]: [false, false, true, false], '*': [false, false, false, true] }));
    keeper.setRule(ctx, CAROL, '/apps/blog/team/x', JSON.stringify({ write: 'true' }));
    expect(thrown(() => keeper.setOwner(ctx, ALICE, '/apps/blog/team', 'null')).message).toContain(
      `owner config at /apps/blog/team does not give ${ALICE} write_owner`,
    );
    expect(thrown(() => keeper.setRule(ctx, BOB, '/apps/blog/team/y', JSON.stringify({ write: 'true' }))).message).toContain('write_rule');
    keeper.setOwner(ctx, BOB, '/apps/blog/team', 'null');
    expect(keeper.getConfig(ctx.state, 'owner', '/apps/blog/team')).toBeNull();
    expect(
      thrown(() => keeper.setOwner(ctx, ALICE, '/apps/blog/$x', owners({ [BOB]: [true, true, true, true] }))).is(ErrInvalidStatePath),
    ).toBe(true);
    expect(
      thrown(() => keeper.setOwner(ctx, ALICE, '/apps/blog/t', JSON.stringify({ owners: { [BOB]: { write_rule: true } } }))).message,
    ).toContain('branch_owner must be true or false');
    expect(
      thrown(() => keeper.setOwner(ctx, ALICE, '/apps/blog/t', JSON.stringify({ owners: { bob: { write_rule: true } } }))).codespace,
    ).toBe('state');
  });

  it('answers isAppAdmin and isOwner in rules', () => {
    const ctx = blog(true);
    keeper.setRule(
      ctx,
      ALICE,
      '/apps/blog/admins_only',
      JSON.stringify({ write: "isAppAdmin('blog', auth.addr) && isOwner('/apps/blog/x', auth.addr)" }),
    );
    keeper.setValue(ctx, as(ALICE), '/apps/blog/admins_only', '1');
    expect(thrown(() => keeper.setValue(ctx, as(BOB), '/apps/blog/admins_only', '2')).message).toContain("isAppAdmin('blog', auth.addr)");
  });

  it('answers isOwner for a value path at the store key bound from the owner config above it', () => {
    const ctx = blog(true);
    const prefix = `/apps/blog${`/${'x'.repeat(150)}`.repeat(12)}`;
    keeper.setRule(ctx, ALICE, `${prefix}/$leaf`, JSON.stringify({ write: `isOwner(concatPath('${prefix}', $leaf), auth.addr)` }));
    // 1,900 key bytes: `/owners/...` at its own depth would be 1,907, so the config at /apps/blog governs.
    const path = `${prefix}/${'y'.repeat(1900 - prefix.length - 1)}`;
    keeper.setValue(ctx, as(ALICE), path, '1');
    expect(thrown(() => keeper.setValue(ctx, as(BOB), path, '2')).message).toContain('is false');
  });
});
