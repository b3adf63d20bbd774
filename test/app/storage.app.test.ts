/**
 * The storage module through the whole app, in process (the jobs harness: real AinApplication, lmdb,
 * signed txs, block time set by the test): a provider registers, a client reserves paid space (the
 * price escrowed, paid by block time, refunded on cancel, settled at the end), and blobs get access
 * records the chain decides on: grants that expire, the nodes accepted on a job request, keys shared
 * only with readers the chain admits, and test-data keys revealed only after submission closes. The
 * storage account always holds exactly `/storage/escrow_total`; every refusal has its own code and
 * changes nothing.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { moduleAddress } from '../../core/address.ts';
import { keyCommitment } from '../../modules/storage/index.ts';
import {
  QueryCanReadRequest,
  QueryCanReadResponse,
  QueryKeyRequest,
  QueryKeyResponse,
  QueryProvidersRequest,
  QueryProvidersResponse,
  QueryReservationsRequest,
  QueryReservationsResponse,
} from '../../proto/gen/ain/storage/v1/query.ts';
import {
  MsgCancelReservation,
  MsgClaimPayment,
  MsgGrant,
  MsgRegisterProvider,
  MsgReserve,
  MsgRevealKey,
  MsgRevoke,
  MsgSetAccess,
  MsgShareKeys,
} from '../../proto/gen/ain/storage/v1/tx.ts';
import { AccessKind } from '../../proto/gen/ain/storage/v1/types.ts';
import { newDataKey, wrapKey } from '../../storage/crypto.ts';
import { any, FEE, type JobsHarness, keys, msg, setUpCalculateRoot, startJobsApp } from './jobsHarness.fixture.ts';

const { carl, dan, eve, w1, w2, bob } = keys;
const STORAGE_ACCOUNT = moduleAddress('storage');
const GIB = 1n << 30n;
const HASH = 'ab'.repeat(32);
const codeOf = (result: { codespace: string; code: number }) => `${result.codespace}/${result.code}`;

describe('storage module in the app, in process', () => {
  let h: JobsHarness;
  const query = <T>(method: string, data: Uint8Array, decode: (bytes: Uint8Array) => T): T => {
    const response = h.app.query({ path: `/ain.storage.v1.Query/${method}`, data, height: 0n, prove: false });
    expect(response.log).toBe('');
    return decode(response.value);
  };
  const canRead = (reader: string, time = 0n, owner = carl.address) =>
    query('CanRead', QueryCanReadRequest.encode({ hash: HASH, owner, reader, time }).finish(), QueryCanReadResponse.decode);
  const escrowInvariant = () =>
    expect(h.balance(STORAGE_ACCOUNT)).toBe(BigInt((h.get('/storage/escrow_total') as string | undefined) ?? '0'));

  beforeEach(() => {
    h = startJobsApp();
  });
  afterEach(async () => {
    await h.close();
  });

  it('registers a provider, escrows a reservation, pays it by block time and refunds the rest on cancel', () => {
    // 1 uain per GiB-day: 1 GiB for 2 days costs 2; 3 GiB for 1 day costs 3.
    const register = any(MsgRegisterProvider, {
      signer: bob.address,
      url: 'http://127.0.0.1:7070',
      backends: ['folder', 'ipfs'],
      pricePerGibDay: '86400',
      capacityBytes: 4n * GIB,
    });
    expect(h.send(bob, [register]).log).toBe('');
    const providers = query(
      'Providers',
      QueryProvidersRequest.encode({ startAfter: '', limit: 0 }).finish(),
      QueryProvidersResponse.decode,
    ).providers;
    expect(providers).toMatchObject([
      { address: bob.address, url: 'http://127.0.0.1:7070', backends: ['folder', 'ipfs'], capacityBytes: 4n * GIB },
    ]);

    const before = h.balance(carl.address);
    const reserved = h.send(carl, [any(MsgReserve, { signer: carl.address, provider: bob.address, bytes: GIB, durationSeconds: 1000n })]);
    expect(reserved.log).toBe('');
    const start = h.now();
    // price = ceil(2^30 x 1000 x 86400 / (2^30 x 86400)) = 1000
    expect(h.balance(carl.address)).toBe(before - 1000n - FEE);
    expect(h.balance(STORAGE_ACCOUNT)).toBe(1000n);
    escrowInvariant();
    const listed = query(
      'Reservations',
      QueryReservationsRequest.encode({ client: carl.address, provider: bob.address }).finish(),
      QueryReservationsResponse.decode,
    );
    expect(listed.reservedBytes).toBe(GIB);

    // More than the capacity left, a price above max_price, and no funds: refused, nothing changes.
    const tooBig = h.send(carl, [any(MsgReserve, { signer: carl.address, provider: bob.address, bytes: 4n * GIB, durationSeconds: 10n })]);
    expect(codeOf(tooBig)).toBe('bigstorage/5');
    expect(tooBig.log).toContain(`has ${3n * GIB} of ${4n * GIB} bytes free`);
    const pricey = h.send(carl, [
      any(MsgReserve, { signer: carl.address, provider: bob.address, bytes: GIB, durationSeconds: 100n, maxPrice: '99' }),
    ]);
    expect(codeOf(pricey)).toBe('bigstorage/6');
    // w2 asks 10^12 uain per GiB-day: a day of 1 GiB is more than dan has.
    const pricey2 = any(MsgRegisterProvider, {
      signer: w2.address,
      url: 'http://127.0.0.1:7071',
      backends: ['s3'],
      pricePerGibDay: '1000000000000',
      capacityBytes: GIB,
    });
    expect(h.send(w2, [pricey2]).log).toBe('');
    const danBefore = h.balance(dan.address);
    const poor = h.send(dan, [any(MsgReserve, { signer: dan.address, provider: w2.address, bytes: GIB, durationSeconds: 86_400n })]);
    expect(codeOf(poor)).toBe('bigstorage/15');
    expect(poor.log).toContain(`${dan.address} has ${danBefore - FEE}uain; reserving 1073741824 bytes for 86400s costs 1000000000000uain`);
    expect(h.balance(dan.address)).toBe(danBefore - FEE);
    expect(
      query(
        'Reservations',
        QueryReservationsRequest.encode({ client: dan.address, provider: '' }).finish(),
        QueryReservationsResponse.decode,
      ).reservations,
    ).toEqual([]);
    expect(h.balance(STORAGE_ACCOUNT)).toBe(1000n);

    // 250 s in, the provider claims 250 (1 uain a second); only the provider may.
    h.advance(start + 248n - h.now());
    expect(codeOf(h.send(carl, [any(MsgClaimPayment, { signer: carl.address, reservationId: 1n })]))).toBe('bigstorage/4');
    const bobBefore = h.balance(bob.address);
    expect(h.send(bob, [any(MsgClaimPayment, { signer: bob.address, reservationId: 1n })]).log).toBe('');
    expect(h.balance(bob.address)).toBe(bobBefore + 250n - FEE);
    escrowInvariant();

    expect(h.now() - start).toBe(250n);
    // Cancel at 400 s: the provider gets 150 more, carl 600 back.
    h.advance(149n);
    const carlBefore = h.balance(carl.address);
    const cancelled = h.send(carl, [any(MsgCancelReservation, { signer: carl.address, reservationId: 1n })]);
    expect(cancelled.log).toBe('');
    expect(h.balance(carl.address)).toBe(carlBefore + 600n - FEE);
    expect(h.balance(bob.address)).toBe(bobBefore + 400n - FEE);
    expect(h.balance(STORAGE_ACCOUNT)).toBe(0n);
    escrowInvariant();
    expect(codeOf(h.send(carl, [any(MsgCancelReservation, { signer: carl.address, reservationId: 1n })]))).toBe('bigstorage/7');

    // A second reservation runs out: the end of the block pays the provider all of it.
    expect(
      h.send(carl, [any(MsgReserve, { signer: carl.address, provider: bob.address, bytes: 3n * GIB, durationSeconds: 100n })]).log,
    ).toBe('');
    expect(h.balance(STORAGE_ACCOUNT)).toBe(300n);
    const bobMid = h.balance(bob.address);
    h.advance(101n);
    expect(h.balance(bob.address)).toBe(bobMid + 300n);
    expect(h.balance(STORAGE_ACCOUNT)).toBe(0n);
    escrowInvariant();
    expect(
      query(
        'Reservations',
        QueryReservationsRequest.encode({ client: carl.address, provider: '' }).finish(),
        QueryReservationsResponse.decode,
      ).reservations,
    ).toEqual([]);
  });

  it('decides reads by grants with expiry, and shares keys only with readers it admits', () => {
    const key = newDataKey();
    const set = any(MsgSetAccess, {
      signer: carl.address,
      hash: HASH,
      kind: AccessKind.ACCESS_KIND_LIST,
      grants: [{ address: dan.address, expiresAt: h.now() + 100n }],
      encrypted: true,
      keyCommitment: keyCommitment(key),
    });
    expect(h.send(carl, [set]).log).toBe('');
    expect(canRead(carl.address)).toMatchObject({ allowed: true });
    expect(canRead(dan.address, h.now())).toMatchObject({ allowed: true, encrypted: true });
    const expired = canRead(dan.address, h.now() + 100n);
    expect(expired.allowed).toBe(false);
    expect(expired.reason).toContain(`the grant of ${dan.address} expired at`);
    expect(canRead(w1.address).reason).toContain('holds no grant');

    const wrapped = wrapKey(key, dan.pubkey);
    const stranger = h.send(carl, [any(MsgShareKeys, { signer: carl.address, hash: HASH, keys: [{ reader: w1.address, wrapped }] })]);
    expect(codeOf(stranger)).toBe('bigstorage/9');
    expect(h.send(carl, [any(MsgShareKeys, { signer: carl.address, hash: HASH, keys: [{ reader: dan.address, wrapped }] })]).log).toBe('');
    const shared = query(
      'Key',
      QueryKeyRequest.encode({ hash: HASH, owner: carl.address, reader: dan.address }).finish(),
      QueryKeyResponse.decode,
    );
    expect(shared.key?.wrapped).toBe(wrapped);

    // A grant added, then revoked with its key; only the owner may change the record.
    expect(h.send(carl, [any(MsgGrant, { signer: carl.address, hash: HASH, grants: [{ address: w1.address, expiresAt: 0n }] })]).log).toBe(
      '',
    );
    expect(canRead(w1.address, h.now() + 10_000n).allowed).toBe(true);
    expect(
      codeOf(h.send(dan, [any(MsgGrant, { signer: dan.address, hash: HASH, grants: [{ address: w2.address, expiresAt: 0n }] })])),
    ).toBe('bigstorage/8');
    expect(h.send(carl, [any(MsgRevoke, { signer: carl.address, hash: HASH, addresses: [dan.address] })]).log).toBe('');
    expect(canRead(dan.address).allowed).toBe(false);
    expect(
      query('Key', QueryKeyRequest.encode({ hash: HASH, owner: carl.address, reader: dan.address }).finish(), QueryKeyResponse.decode).key,
    ).toBeUndefined();
  });

  it("admits a job request's accepted nodes and reveals the test-data key only after submission closes", () => {
    const jobId = setUpCalculateRoot(h);
    expect(h.send(carl, [msg.request(carl, jobId)]).log).toBe('');
    const requestId = 1n;
    const testKeyBytes = newDataKey();
    const bound = any(MsgSetAccess, {
      signer: carl.address,
      hash: HASH,
      kind: AccessKind.ACCESS_KIND_REQUEST,
      requestId,
      encrypted: true,
      keyCommitment: keyCommitment(testKeyBytes),
      testData: true,
    });
    expect(codeOf(h.send(dan, [any(MsgSetAccess, { ...MsgSetAccess.decode(bound.value), signer: dan.address })]))).toBe('bigstorage/4');
    expect(h.send(carl, [bound]).log).toBe('');
    expect(canRead(w1.address).reason).toContain(`is not accepted on job request ${requestId}`);
    // Before w1 joins, its key is refused; once it joined, it is stored.
    const share = (reader: typeof w1) =>
      any(MsgShareKeys, {
        signer: carl.address,
        hash: HASH,
        keys: [{ reader: reader.address, wrapped: wrapKey(testKeyBytes, reader.pubkey) }],
      });
    expect(codeOf(h.send(carl, [share(w1)]))).toBe('bigstorage/9');
    expect(h.send(eve, [msg.acceptAsEvaluator(eve, requestId)]).log).toBe('');
    expect(h.send(w1, [msg.join(w1, requestId), msg.submit(w1, requestId, '{"x":2}')]).log).toBe('');
    expect(canRead(w1.address)).toMatchObject({ allowed: true });
    expect(canRead(eve.address)).toMatchObject({ allowed: true });
    expect(canRead(w2.address).allowed).toBe(false);
    expect(h.send(carl, [share(w1)]).log).toBe('');

    const reveal = (key: Uint8Array) => any(MsgRevealKey, { signer: carl.address, hash: HASH, key: Buffer.from(key).toString('hex') });
    const early = h.send(carl, [reveal(testKeyBytes)]);
    expect(codeOf(early)).toBe('bigstorage/11');
    expect(early.log).toContain('is running');
    h.advance(31n);
    expect(h.request(requestId).status).toBe('revealing');
    expect(codeOf(h.send(carl, [reveal(newDataKey())]))).toBe('bigstorage/10');
    expect(h.send(carl, [reveal(testKeyBytes)]).log).toBe('');
    const revealed = query(
      'Key',
      QueryKeyRequest.encode({ hash: HASH, owner: carl.address, reader: eve.address }).finish(),
      QueryKeyResponse.decode,
    );
    expect(revealed.revealedKey).toBe(Buffer.from(testKeyBytes).toString('hex'));
  });
});
