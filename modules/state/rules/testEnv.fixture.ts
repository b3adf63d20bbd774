/**
 * A test environment over a JSON tree, and a default context. The environment validates every path
 * with the store's own path rules, as the state module's environment must, and records every call.
 */
import { normalizePath, parsePath } from '../../../tree/index.ts';
import type { RuleContext, RuleEnvironment } from './types.ts';
import type { JsonValue } from '../../../core/index.ts';

export const ALICE = 'ain1qyqszqgpqyqszqgpqyqszqgpqyqszqgpr6pu3d';
export const BOB = 'ain1qgpqyqszqgpqyqszqgpqyqszqgpqyqszj78e6m';

export interface RecordingEnv extends RuleEnvironment {
  readonly calls: string[];
}

export function testEnv(tree: JsonValue = {}, admins: Record<string, string[]> = {}): RecordingEnv {
  const calls: string[] = [];
  const lookup = (path: string): JsonValue => {
    let node: JsonValue = tree;
    for (const label of parsePath(path)) {
      if (typeof node !== 'object' || node === null || Array.isArray(node) || !Object.hasOwn(node, label)) return null;
      node = (node as Record<string, JsonValue>)[label] ?? null;
    }
    return node;
  };
  return {
    calls,
    getValue(path) {
      calls.push(`getValue ${path}`);
      return lookup(path);
    },
    getRule(path) {
      calls.push(`getRule ${path}`);
      normalizePath(path);
      return path === '/apps/blog' ? 'auth.addr == $user' : null;
    },
    getOwner(path) {
      calls.push(`getOwner ${path}`);
      normalizePath(path);
      return null;
    },
    getFunction(path) {
      calls.push(`getFunction ${path}`);
      normalizePath(path);
      return null;
    },
    isAppAdmin(app, addr) {
      calls.push(`isAppAdmin ${app} ${addr}`);
      return Object.hasOwn(admins, app) && (admins[app] ?? []).includes(addr);
    },
    isOwner(path, addr) {
      calls.push(`isOwner ${path} ${addr}`);
      normalizePath(path);
      return addr === ALICE;
    },
    getChildValue(shard, path) {
      calls.push(`getChildValue ${shard} ${path}`);
      return lookup(`/shards/children/${shard}/values${normalizePath(path)}`);
    },
  };
}

export function testContext(overrides: Partial<RuleContext> = {}): RuleContext {
  return {
    auth: { addr: ALICE, fid: null },
    data: null,
    newData: null,
    vars: { $user: ALICE },
    height: 100n,
    time: 1_700_000_000_000,
    path: ['apps', 'blog', 'posts', ALICE, '1'],
    ...overrides,
  };
}
