/**
 * An exported genesis holding storage, triggers and state mid-flight, for the genesis tests (the jobs
 * harness: real signed txs): a storage provider with reservations active (one ending within the
 * blocks a test runs after import, one long), claimed, cancelled and ended, access records (a list
 * with grants, one bound to a job request) and a shared key; an app with values, rules, an owner and
 * function configs whose off-chain calls are pending (one past its deadline a block after import,
 * one long), done, failed and expired, with their prices in escrow and a registered executor.
 */
import { RequestInfo } from 'cosmjs-types/tendermint/abci/types';
import { expect } from 'vitest';
import { keyCommitment } from '../../modules/storage/index.ts';
import { MsgCreateApp, MsgSetFunction, MsgSetOwner, MsgSetRule, MsgSetValue } from '../../proto/gen/ain/state/v1/tx.ts';
import {
  MsgCancelReservation,
  MsgClaimPayment,
  MsgGrant,
  MsgRegisterProvider,
  MsgReserve,
  MsgSetAccess,
  MsgShareKeys,
} from '../../proto/gen/ain/storage/v1/tx.ts';
import { AccessKind } from '../../proto/gen/ain/storage/v1/types.ts';
import { MsgSubmitResult as MsgSubmitCallResult } from '../../proto/gen/ain/triggers/v1/tx.ts';
import { newDataKey, wrapKey } from '../../storage/crypto.ts';
import type { ExportedChain } from './genesisMutation.fixture.ts';
import { any, CHAIN_ID, keys, msg, setUpCalculateRoot, startJobsApp, TEST_PARAMS } from './jobsHarness.fixture.ts';

const { alice, bob, carl, dan, w1, w3 } = keys;
const GIB = 1n << 30n;
const DAY = 86_400n;
const CODE_HASH = 'ab'.repeat(32);

/** An off-chain function `id` that w3 runs, its results written under `/apps/lab/<output>/$key`. */
const offchain = (id: string, timeoutBlocks: number, price: string, output: string) => ({
  function_type: 'OFFCHAIN',
  function_id: id,
  runtime: 'node',
  code_hash: CODE_HASH,
  resources: { cpu: 1, memory_mb: 256, gpus: 0, gpu_memory_mb: 0 },
  timeout_blocks: timeoutBlocks,
  price,
  output_path: `/apps/lab/${output}/$key`,
  executors: [w3.address],
});

export async function exportStorageChain(): Promise<ExportedChain> {
  const h = startJobsApp(TEST_PARAMS, { triggers: { executors: [{ address: w3.address, runtimes: ['node'], cpu: 2, memory_mb: 1024 }] } });
  try {
    const ok = (result: { log: string }) => expect(result.log).toBe('');
    const nextId = (path: string) => BigInt((h.get(path) as string | undefined) ?? '1');
    const jobId = setUpCalculateRoot(h);

    // Storage: bob provides; carl and dan reserve.
    ok(
      h.send(bob, [
        any(MsgRegisterProvider, {
          signer: bob.address,
          url: 'http://127.0.0.1:7070',
          backends: ['folder'],
          pricePerGibDay: '86400',
          capacityBytes: 64n * GIB,
        }),
      ]),
    );
    const reserve = (key: typeof carl, bytes: bigint, durationSeconds: bigint): bigint => {
      const id = nextId('/storage/next_reservation_id');
      ok(h.send(key, [any(MsgReserve, { signer: key.address, provider: bob.address, bytes, durationSeconds })]));
      return id;
    };
    const ends = reserve(carl, GIB, 50n);
    const cancelled = reserve(dan, 2n * GIB, DAY);
    reserve(carl, 3n * GIB, 1000n); // ends in the blocks after import
    const claimed = reserve(dan, GIB, 60n * DAY); // outlives them
    h.advance(100n);
    ok(h.send(bob, [any(MsgClaimPayment, { signer: bob.address, reservationId: claimed })]));
    ok(h.send(dan, [any(MsgCancelReservation, { signer: dan.address, reservationId: cancelled })]));
    expect((h.get(`/storage/reservations/${ends}`) as { status: string }).status).toBe('ended');

    const key = newDataKey();
    const hash = 'cd'.repeat(32);
    ok(
      h.send(carl, [
        any(MsgSetAccess, {
          signer: carl.address,
          hash,
          kind: AccessKind.ACCESS_KIND_LIST,
          grants: [{ address: dan.address, expiresAt: h.now() + DAY }],
          encrypted: true,
          keyCommitment: keyCommitment(key),
        }),
        any(MsgGrant, { signer: carl.address, hash, grants: [{ address: w1.address, expiresAt: 0n }] }),
        any(MsgShareKeys, { signer: carl.address, hash, keys: [{ reader: dan.address, wrapped: wrapKey(key, dan.pubkey) }] }),
      ]),
    );
    ok(h.send(carl, [msg.request(carl, jobId)]));
    const requestId = nextId('/jobs/next_request_id') - 1n;
    ok(h.send(carl, [any(MsgSetAccess, { signer: carl.address, hash: 'ef'.repeat(32), kind: AccessKind.ACCESS_KIND_REQUEST, requestId })]));

    // State and triggers: alice's app, bob's writes fire w3's functions.
    const rule = (path: string, write: string) => any(MsgSetRule, { signer: alice.address, path, rule: JSON.stringify({ write }) });
    const fn = (path: string, config: object) => any(MsgSetFunction, { signer: alice.address, path, function: JSON.stringify(config) });
    ok(
      h.send(alice, [
        any(MsgCreateApp, { signer: alice.address, name: 'lab', admins: [alice.address], public: false }),
        rule('/apps/lab/quick/$key', `auth.addr == '${bob.address}'`),
        rule('/apps/lab/slow/$key', `auth.addr == '${bob.address}'`),
        rule('/apps/lab/out/$key', "auth.fid == 'quick' || auth.fid == 'slow'"),
        rule('/apps/lab/notes', 'true'),
        fn('/apps/lab/quick/$key', offchain('quick', 2, '1000', 'out')),
        fn('/apps/lab/slow/$key', offchain('slow', 1000, '700', 'out')),
        any(MsgSetOwner, {
          signer: alice.address,
          path: '/apps/lab/notes',
          owner: JSON.stringify({ owners: { '*': { branch_owner: false, write_function: false, write_owner: false, write_rule: true } } }),
        }),
      ]),
    );
    const write = (path: string, value: unknown) => any(MsgSetValue, { signer: bob.address, path, value: JSON.stringify(value) });
    const callId = () => nextId('/triggers/next_call_id');
    const done = callId();
    ok(h.send(bob, [write('/apps/lab/notes', 'hello'), write('/apps/lab/quick/a', 1), write('/apps/lab/quick/b', 2)]));
    const answer = (id: bigint, failed: boolean) =>
      any(MsgSubmitCallResult, { signer: w3.address, callId: id, output: JSON.stringify(41), failed, error: failed ? 'no' : '' });
    ok(h.send(w3, [answer(done, false), answer(done + 1n, true)]));
    ok(h.send(bob, [write('/apps/lab/quick/c', 3)])); // expires here
    for (let i = 0; i < 3; i++) h.advance(1n);
    ok(h.send(bob, [write('/apps/lab/slow/d', 4), write('/apps/lab/quick/e', 5)]));
    expect(h.get('/triggers/calls/3')).toMatchObject({ status: 'expired' });

    const height = h.app.info(RequestInfo.fromPartial({})).lastBlockHeight;
    return { chainId: CHAIN_ID, seconds: h.now(), height, appState: JSON.parse(JSON.stringify(h.app.exportGenesis())) };
  } finally {
    await h.close();
  }
}
