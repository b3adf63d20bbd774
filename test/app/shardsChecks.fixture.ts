/**
 * The assertions the shards app tests share: a tx accepted, a result's code, and the supply invariant
 * across a parent and its child (what the parent escrows for the child equals the child's vouchers
 * plus what is in flight either way; the parent's uain supply never changes: the in-process parent
 * has no validators, so it mints no block rewards).
 */
import type { ExecTxResult } from 'cosmjs-types/tendermint/abci/types';
import { expect } from 'vitest';
import { childRoot, PARENT_ROOT } from '../../modules/shards/index.ts';
import { Packet } from '../../proto/gen/ain/shards/v1/types.ts';
import type { Chain } from './shardsHarness.fixture.ts';
import { BALANCE, ESCROW, type Pair, SHARD, VOUCHER } from './shardsPair.fixture.ts';

export const ok = (result: ExecTxResult): ExecTxResult => {
  expect(result.log, result.log).toBe('');
  return result;
};
export const code = (result: ExecTxResult): string => `${result.codespace}/${result.code}`;

/** Escrow = vouchers + in flight (see the module comment); returns the escrow. */
export function checkSupply(pair: Pick<Pair, 'parent' | 'child'>): bigint {
  const { parent, child } = pair;
  expect(parent.app.keeper<{ getSupply(s: unknown, d: string): bigint }>('bank').getSupply(parent.store, 'uain')).toBe(BALANCE * 4n);
  const escrowText = parent.get(`${childRoot(SHARD)}/escrow`);
  const escrow = typeof escrowText === 'string' ? BigInt(escrowText) : 0n;
  expect(parent.balance(ESCROW)).toBe(escrow);
  const packets = (chain: Chain, root: string) =>
    chain.store.list(`${root}/out/packets`, 10_000).map(([, text]) => Packet.fromJSON(JSON.parse(text as string)));
  const received = (chain: Chain, root: string, sequence: bigint) =>
    chain.get(`${root}/in/receipts/${sequence.toString().padStart(20, '0')}`) !== undefined;
  const down = packets(parent, childRoot(SHARD)).filter((p) => !received(child, PARENT_ROOT, p.sequence));
  const up = packets(child, PARENT_ROOT).filter((p) => !received(parent, childRoot(SHARD), p.sequence));
  const sum = (list: Packet[]) => list.reduce((total, p) => total + BigInt(p.amount), 0n);
  const supplyText = child.get(`/bank/supply/${VOUCHER.replaceAll('/', '%2F')}`);
  const vouchers = typeof supplyText === 'string' ? BigInt(supplyText) : 0n;
  expect(escrow).toBe(vouchers + sum(down) + sum(up));
  return escrow;
}
