/**
 * Stateful fuzzing of the ainft module through the app (test/app/fuzzChain.fixture.ts: main, a twin
 * without CheckTx, a reference app for failed txs): random sequences of blocks of mints (with
 * children and a metadata reference), transfers, approvals, operators, revokes, burns, compositions
 * and payments, by the right actor most of the time and by others sometimes. A model predicts each
 * tx's outcome (its exact error or success); after every block the chain must agree with the model
 * (owners, approvals, compositions, edges, operators, balances) and its indexes with its tokens
 * (owner index, per-owner and per-class counts), and no uain is lost (supply = sum of balances).
 * The chain keeps its state from run to run, and so does the model (endOnFailure: no shrinking).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { moduleAddress } from '../../core/index.ts';
import {
  MsgApprove,
  MsgBurn,
  MsgCreateClass,
  MsgMint,
  MsgPay,
  MsgRevoke,
  MsgSetApprovalForAll,
  MsgSetComposition,
  MsgTransfer,
} from '../../proto/gen/ain/ainft/v1/tx.ts';
import type { BankKeeper } from '../../modules/bank/keeper.ts';
import { FEE, FuzzChain } from './fuzzChain.fixture.ts';
import { any } from './jobsHarness.fixture.ts';

const POOL = ['cls', 'art'].flatMap((cls) => ['tok-a', 'tok-b', 'tok-c', 'tok-d', 'tok-e', 'tok-f'].map((id) => `${cls}/${id}`));
/** A module account: a token may not go there. */
const MODULE = moduleAddress('distribution');
const WEIGHTS = [1n, 2n, 3n, 7n, 10n ** 12n];
const AMOUNTS = [1n, 2n, 999n, 1001n, 10n ** 14n, 10n ** 15n, 10n ** 30n];

interface ModelChild {
  label: string;
  weight: bigint;
}
interface ModelToken {
  owner: string;
  approved: string;
  ownerWeight: bigint;
  totalWeight: bigint;
  children: ModelChild[];
  /** The token its metadata's data part refers to. */
  dataRef: string | undefined;
}

/** What the chain should hold, kept across runs as the chain is. */
class Model {
  readonly tokens = new Map<string, ModelToken>();
  readonly operators = new Set<string>();
  readonly balances = new Map<string, bigint>();
  readonly minters = new Map<string, string[]>();

  isOperator = (owner: string, operator: string) => this.operators.has(`${owner}>${operator}`);
  isUsed = (label: string) => [...this.tokens.values()].some((t) => t.dataRef === label || t.children.some((c) => c.label === label));
  /** Whether a walk down from `from` through the compositions reaches `target`. */
  reaches(from: string, target: string, seen = new Set<string>()): boolean {
    if (from === target) return true;
    if (seen.has(from)) return false;
    seen.add(from);
    return (this.tokens.get(from)?.children ?? []).some((c) => this.reaches(c.label, target, seen));
  }
  /** The README's split (max_depth 8, max_nodes 256): what each owner keeps. */
  split(root: string, amount: bigint): Map<string, bigint> {
    const kept = new Map<string, bigint>();
    let budget = 255;
    const visit = (label: string, reached: bigint, depth: number) => {
      const token = this.tokens.get(label)!;
      const descend: Array<[string, bigint]> = [];
      let rest = reached;
      if (depth < 8 && token.totalWeight > 0n)
        for (const child of token.children) {
          const share = (reached * child.weight) / token.totalWeight;
          if (share === 0n || budget === 0) continue;
          budget -= 1;
          rest -= share;
          descend.push([child.label, share]);
        }
      kept.set(token.owner, (kept.get(token.owner) ?? 0n) + rest);
      for (const [child, share] of descend) visit(child, share, depth + 1);
    };
    visit(root, amount, 0);
    return kept;
  }
}

type Role = 'owner' | 'approved' | 'operator' | 'anyone';
const roleArb = fc.constantFrom<Role>('owner', 'owner', 'owner', 'approved', 'operator', 'anyone');
/** A token: one that exists (most of the time) or any of the pool, by index. */
const tokenArb = fc.record({ existing: fc.nat({ max: 3 }).map((n) => n > 0), n: fc.nat() });
const childrenArb = fc.array(fc.record({ token: tokenArb, weight: fc.constantFrom(...WEIGHTS) }), { maxLength: 3 });
const compositionArb = fc.record({
  children: childrenArb,
  ownerWeight: fc.constantFrom(0n, 1n, 10n ** 12n),
  badTotal: fc.nat({ max: 19 }).map((n) => n === 0),
});

const actionArb = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('mint' as const),
      minter: fc.nat({ max: 3 }),
      id: tokenArb,
      owner: fc.nat({ max: 4 }),
      composition: compositionArb,
      dataRef: fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: tokenArb }),
    }),
  },
  fc.record({ kind: fc.constant('transfer' as const), role: roleArb, token: tokenArb, receiver: fc.nat({ max: 4 }) }),
  fc.record({ kind: fc.constant('approve' as const), role: roleArb, token: tokenArb, spender: fc.nat({ max: 3 }) }),
  fc.record({ kind: fc.constant('revoke' as const), role: roleArb, token: tokenArb }),
  fc.record({ kind: fc.constant('approveAll' as const), signer: fc.nat({ max: 3 }), operator: fc.nat({ max: 3 }), approved: fc.boolean() }),
  fc.record({ kind: fc.constant('burn' as const), role: roleArb, token: tokenArb }),
  fc.record({ kind: fc.constant('compose' as const), role: roleArb, token: tokenArb, composition: compositionArb }),
  fc.record({ kind: fc.constant('pay' as const), signer: fc.nat({ max: 3 }), token: tokenArb, amount: fc.constantFrom(...AMOUNTS) }),
);
type CompositionSpec = typeof compositionArb extends fc.Arbitrary<infer C> ? C : never;
type Action = typeof actionArb extends fc.Arbitrary<infer A> ? A : never;

/** One planned tx: its signer, message, the outcome the model expects ('ok' or codespace/code) and whether it fails before the ante. */
interface Planned {
  signer: number;
  message: ReturnType<typeof any>;
  expected: string;
  stateless: boolean;
  apply: () => void;
}

describe('ainft: random sequences of token operations', () => {
  let chain: FuzzChain;
  const model = new Model();
  const balanceOf = (addr: string) => chain.main.app.keeper<BankKeeper>('bank').getBalance(chain.main.store, addr, 'uain');
  const address = (i: number) => (i === 4 ? MODULE : chain.keys[i]!.address);

  beforeAll(() => {
    chain = new FuzzChain();
    const [k0, k1, k2] = chain.keys;
    const create = (key: typeof k0, id: string, minters: string[]) =>
      chain.sign(key!, [any(MsgCreateClass, { signer: key!.address, id, name: id, minters })]);
    const results = chain.deliver([create(k0, 'cls', [k0!.address, k1!.address, k2!.address]), create(k1, 'art', [])], [k0, k1]);
    expect(results.map((r) => r.code)).toEqual([0, 0]);
    model.minters.set('cls', [k0!.address, k1!.address, k2!.address]);
    model.minters.set('art', [k1!.address]);
    for (const key of chain.keys) model.balances.set(key.address, balanceOf(key.address));
  });
  afterAll(() => chain.close());

  function pickToken(sel: { existing: boolean; n: number }): string {
    const existing = [...model.tokens.keys()].sort();
    return sel.existing && existing.length > 0 ? existing[sel.n % existing.length]! : POOL[sel.n % POOL.length]!;
  }

  function pickSigner(role: Role, label: string, n: number): number {
    const token = model.tokens.get(label);
    const index = (addr: string | undefined) => chain.keys.findIndex((k) => k.address === addr);
    const operators = token ? chain.keys.map((_, i) => i).filter((i) => model.isOperator(token.owner, address(i))) : [];
    const chosen =
      role === 'owner'
        ? index(token?.owner)
        : role === 'approved'
          ? index(token?.approved)
          : role === 'operator'
            ? operators[n % Math.max(1, operators.length)]
            : -1;
    return chosen !== undefined && chosen >= 0 ? chosen : n % 4;
  }

  const ref = (label: string) => ({ classId: label.split('/')[0]!, id: label.split('/')[1]! });

  function compositionOf(label: string, spec: CompositionSpec) {
    const labels: string[] = [];
    const children: ModelChild[] = [];
    for (const { token, weight } of spec.children) {
      const child = pickToken(token);
      if (labels.includes(child)) continue;
      labels.push(child);
      children.push({ label: child, weight });
    }
    const sum = children.reduce((s, c) => s + c.weight, spec.ownerWeight);
    const totalWeight = spec.badTotal ? sum + 1n : sum;
    const proto = {
      ownerWeight: spec.ownerWeight,
      totalWeight,
      children: children.map((c) => ({ ...ref(c.label), weight: c.weight })),
    };
    // Stateless: the token itself as a child (ainft/9), then a wrong total (ainft/8).
    const stateless = children.some((c) => c.label === label) ? 'ainft/9' : spec.badTotal ? 'ainft/8' : undefined;
    return { children, totalWeight, proto, stateless, missing: children.some((c) => !model.tokens.has(c.label)) };
  }

  /** The tx for an action and the model's prediction; the model is changed only by `apply`, after the block. */
  function plan(action: Action, n: number): Planned {
    const nothing = () => {};
    switch (action.kind) {
      case 'mint': {
        // A new id most of the time ('existing' here means fresh), any id of the pool sometimes.
        const fresh = POOL.filter((l) => !model.tokens.has(l));
        const label = action.id.existing && fresh.length > 0 ? fresh[action.id.n % fresh.length]! : POOL[action.id.n % POOL.length]!;
        const { classId, id } = ref(label);
        const signer = chain.keys[action.minter]!.address;
        const owner = address(action.owner);
        const c = compositionOf(label, action.composition);
        const dataRef = action.dataRef ? pickToken(action.dataRef) : undefined;
        const metadata = dataRef ? { data: { ainft: ref(dataRef) } } : undefined;
        const message = any(MsgMint, { signer, classId, id, owner, composition: c.proto, ...(metadata ? { metadata } : {}) });
        const expected =
          c.stateless ??
          (!model.minters.get(classId)!.includes(signer)
            ? 'ainft/7'
            : model.tokens.has(label)
              ? 'ainft/6'
              : owner === MODULE
                ? 'ainft/1'
                : c.missing || (dataRef !== undefined && !model.tokens.has(dataRef))
                  ? 'ainft/10'
                  : 'ok');
        return {
          signer: action.minter,
          message,
          expected,
          stateless: c.stateless !== undefined,
          apply: () =>
            model.tokens.set(label, {
              owner,
              approved: '',
              ownerWeight: action.composition.ownerWeight,
              totalWeight: c.totalWeight,
              children: c.children,
              dataRef,
            }),
        };
      }
      case 'transfer':
      case 'approve':
      case 'revoke':
      case 'burn': {
        const label = pickToken(action.token);
        const signerIndex = pickSigner(action.role, label, n);
        const signer = address(signerIndex);
        const token = model.tokens.get(label);
        const mayAct = token && (signer === token.owner || signer === token.approved || model.isOperator(token.owner, signer));
        const ownerOrOperator = token && (signer === token.owner || model.isOperator(token.owner, signer));
        const key = { signer, ...ref(label) };
        if (action.kind === 'transfer') {
          const receiver = address(action.receiver);
          const expected = !token ? 'ainft/5' : !mayAct ? 'ainft/7' : receiver === token.owner || receiver === MODULE ? 'ainft/1' : 'ok';
          return {
            signer: signerIndex,
            message: any(MsgTransfer, { ...key, receiver }),
            expected,
            stateless: false,
            apply: () => Object.assign(token!, { owner: receiver, approved: '' }),
          };
        }
        if (action.kind === 'approve') {
          const spender = address(action.spender);
          const expected = !token ? 'ainft/5' : !ownerOrOperator ? 'ainft/7' : spender === token.owner ? 'ainft/1' : 'ok';
          return {
            signer: signerIndex,
            message: any(MsgApprove, { ...key, spender }),
            expected,
            stateless: false,
            apply: () => (token!.approved = spender),
          };
        }
        if (action.kind === 'revoke') {
          const expected = !token ? 'ainft/5' : !ownerOrOperator ? 'ainft/7' : 'ok';
          return { signer: signerIndex, message: any(MsgRevoke, key), expected, stateless: false, apply: () => (token!.approved = '') };
        }
        const expected = !token ? 'ainft/5' : !mayAct ? 'ainft/7' : model.isUsed(label) ? 'ainft/11' : 'ok';
        return { signer: signerIndex, message: any(MsgBurn, key), expected, stateless: false, apply: () => model.tokens.delete(label) };
      }
      case 'approveAll': {
        const signer = address(action.signer);
        const operator = address(action.operator);
        const same = signer === operator;
        return {
          signer: action.signer,
          message: any(MsgSetApprovalForAll, { signer, operator, approved: action.approved }),
          expected: same ? 'ainft/1' : 'ok',
          stateless: same,
          apply: () => (action.approved ? model.operators.add(`${signer}>${operator}`) : model.operators.delete(`${signer}>${operator}`)),
        };
      }
      case 'compose': {
        const label = pickToken(action.token);
        const signerIndex = pickSigner(action.role, label, n);
        const signer = address(signerIndex);
        const token = model.tokens.get(label);
        const c = compositionOf(label, action.composition);
        const expected =
          c.stateless ??
          (!token
            ? 'ainft/5'
            : signer !== token.owner && !model.isOperator(token.owner, signer)
              ? 'ainft/7'
              : c.missing
                ? 'ainft/10'
                : c.children.some((child) => model.reaches(child.label, label))
                  ? 'ainft/9'
                  : 'ok');
        return {
          signer: signerIndex,
          message: any(MsgSetComposition, { signer, ...ref(label), composition: c.proto }),
          expected,
          stateless: c.stateless !== undefined,
          apply: () =>
            Object.assign(token!, { ownerWeight: action.composition.ownerWeight, totalWeight: c.totalWeight, children: c.children }),
        };
      }
      case 'pay': {
        const label = pickToken(action.token);
        const signer = address(action.signer);
        const exists = model.tokens.has(label);
        // The README: the payer must hold the price (after the fee); its own part does not move.
        const short = model.balances.get(signer)! - FEE < action.amount;
        const expected = !exists ? 'ainft/5' : short ? 'sdk/5' : 'ok';
        return {
          signer: action.signer,
          message: any(MsgPay, { signer, ...ref(label), amount: action.amount.toString(), kind: 'service', memo: '' }),
          expected,
          stateless: false,
          apply: () => {
            for (const [owner, kept] of model.split(label, action.amount)) {
              model.balances.set(owner, model.balances.get(owner)! + kept);
              model.balances.set(signer, model.balances.get(signer)! - kept);
            }
          },
        };
      }
    }
    return { signer: 0, message: any(MsgRevoke, {}), expected: 'ok', stateless: true, apply: nothing };
  }

  function checkInvariants(what: string): void {
    const store = chain.main.store;
    const tokens = new Map<string, ModelToken>();
    const owned = new Map<string, number>();
    const supply = new Map<string, number>();
    for (const [path, text] of store.list('/ainft/tokens', 100_000)) {
      const t = JSON.parse(text as string) as {
        classId: string;
        id: string;
        owner: string;
        approved: string;
        metadata: { data?: { ainft?: { classId: string; id: string } } };
        composition: { ownerWeight: string; totalWeight: string; children: Array<{ classId: string; id: string; weight: string }> };
      };
      expect(path, what).toBe(`/ainft/tokens/${t.classId}/${t.id}`);
      expect(store.get(`/ainft/owners/${t.owner}/${t.classId}/${t.id}`), `${what}: owner index of ${path}`).toBe(true);
      owned.set(`${t.owner}/${t.classId}`, (owned.get(`${t.owner}/${t.classId}`) ?? 0) + 1);
      supply.set(t.classId, (supply.get(t.classId) ?? 0) + 1);
      const dataRef = t.metadata.data?.ainft;
      tokens.set(`${t.classId}/${t.id}`, {
        owner: t.owner,
        approved: t.approved,
        ownerWeight: BigInt(t.composition.ownerWeight),
        totalWeight: BigInt(t.composition.totalWeight),
        children: t.composition.children.map((c) => ({ label: `${c.classId}/${c.id}`, weight: BigInt(c.weight) })),
        dataRef: dataRef ? `${dataRef.classId}/${dataRef.id}` : undefined,
      });
    }
    expect(tokens, `${what}: the tokens`).toEqual(model.tokens);
    expect(store.list('/ainft/owners', 100_000).length, `${what}: owner index entries`).toBe(tokens.size);
    const counters = (root: string) => new Map(store.list(root, 100_000).map(([path, v]) => [path.slice(root.length + 1), Number(v)]));
    expect(counters('/ainft/balances'), `${what}: per-owner counts`).toEqual(owned);
    expect(counters('/ainft/supply'), `${what}: per-class supply`).toEqual(supply);
    const edges = new Set<string>();
    for (const [label, t] of model.tokens) {
      for (const c of t.children) edges.add(`/ainft/parents/${c.label}/${label}/child=${c.weight}`);
      if (t.dataRef) edges.add(`/ainft/parents/${t.dataRef}/${label}/data=0`);
    }
    expect(new Set(store.list('/ainft/parents', 100_000).map(([p, v]) => `${p}=${String(v)}`)), `${what}: edges`).toEqual(edges);
    const operators = store.list('/ainft/operators', 100_000).map(([p]) => p.split('/').slice(3).join('>'));
    expect(new Set(operators), `${what}: operators`).toEqual(model.operators);
    for (const key of chain.keys)
      expect(balanceOf(key.address), `${what}: balance of ${key.address}`).toBe(model.balances.get(key.address));
    const balances = store.list('/accounts', 10_000_000).filter(([p]) => p.endsWith('/balance/uain'));
    const sum = balances.reduce((total, [, v]) => total + BigInt(v as string), 0n);
    expect(sum, `${what}: supply = sum of balances`).toBe(BigInt(store.get('/bank/supply/uain') as string));
  }

  it('keeps owners, approvals, compositions, indexes and balances as the model says', () => {
    fc.assert(
      fc.property(fc.array(fc.array(actionArb, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 6 }), (blocks) => {
        for (const actions of blocks) {
          // One tx per key in a block; the model is read before the block, so the actions are made independent.
          const planned: Planned[] = [];
          for (const [n, action] of actions.entries()) {
            const p = plan(action, n);
            if (planned.some((q) => q.signer === p.signer)) continue;
            planned.push(p);
            // A later tx of the block could depend on this one's effect: keep one state-changing tx per block.
            if (p.expected === 'ok') break;
          }
          const signers = planned.map((p) => chain.keys[p.signer]!);
          const txs = planned.map((p, i) => chain.sign(signers[i]!, [p.message]));
          const results = chain.deliver(txs, signers);
          const what = `height ${chain.height}`;
          results.forEach((result, i) => {
            const p = planned[i]!;
            expect(result.code === 0 ? 'ok' : `${result.codespace}/${result.code}`, `${what} tx ${i}: ${result.log}`).toBe(p.expected);
            if (!p.stateless) model.balances.set(signers[i]!.address, model.balances.get(signers[i]!.address)! - FEE);
          });
          for (const p of planned) if (p.expected === 'ok') p.apply();
          checkInvariants(what);
        }
      }),
      { seed: 42, numRuns: 40, endOnFailure: true },
    );
  });
});
