import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testKey } from '../test/helpers/tx.ts';
import { blobHash, getBlob, headBlob, putBlob } from './client.ts';
import type { ChainView } from './chainView.ts';
import { type StorageServer, startStorageServer } from './server.ts';
import { getHeaders, newNonce } from './signing.ts';

const alice = testKey('access-alice');
const bob = testKey('access-bob');
const carol = testKey('access-carol');
const PROVIDER = testKey('access-provider').address;

/** A chain where bob may read alice's copies and alice holds 1000 reserved bytes until `end`. */
function fakeChain(end: number): ChainView {
  return {
    canRead: async (_hash, owner, reader) =>
      reader === bob.address && owner === alice.address
        ? { allowed: true, reason: 'granted' }
        : { allowed: false, reason: `${reader} holds no grant` },
    reserved: async (client) => (client === alice.address ? { bytes: 1000, end } : { bytes: 0, end: 0 }),
  };
}

let dir: string;
let server: StorageServer | undefined;
let clock: number;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ain-storage-access-'));
  clock = Date.now();
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  rmSync(dir, { recursive: true, force: true });
});

async function start(): Promise<StorageServer> {
  server = await startStorageServer({
    dir,
    port: 0,
    now: () => clock,
    chain: fakeChain(Math.floor(clock / 1000) + 100),
    address: PROVIDER,
    quotaBytesPerAddress: 100,
  });
  return server;
}

describe('private copies and reservations', () => {
  it('serves a private copy only on a signed, fresh read the chain allows', async () => {
    const { url } = await start();
    const data = new Uint8Array(50).fill(3);
    const { hash } = await putBlob(url, data, alice, { private: true });
    const read = (headers: Record<string, string>) => fetch(`${url}/blobs/${hash}`, { headers });
    const anonymous = await read({});
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ code: 12 });
    expect(await getBlob(url, hash, { reader: alice })).toEqual(data);
    expect(await getBlob(url, hash, { reader: bob })).toEqual(data);
    expect(await headBlob(url, hash, { reader: bob })).toMatchObject({ size: 50 });
    const denied = await read(getHeaders({ hash, nonce: newNonce(clock), audience: PROVIDER }, carol));
    expect(denied.status).toBe(403);
    expect(((await denied.json()) as { message: string }).message).toContain(`${carol.address} holds no grant`);
    const headers = getHeaders({ hash, nonce: newNonce(clock), audience: PROVIDER }, bob);
    expect((await read(headers)).status).toBe(200);
    expect(await (await read(headers)).json()).toMatchObject({ code: 3 });
    const forged = {
      ...getHeaders({ hash, nonce: newNonce(clock), audience: PROVIDER }, bob),
      'x-ain-signature': headers['x-ain-signature']!,
    };
    expect(await (await read(forged)).json()).toMatchObject({ code: 12 });
    const stale = getHeaders({ hash, nonce: newNonce(clock - 3_600_000), audience: PROVIDER }, bob);
    expect(await (await read(stale)).json()).toMatchObject({ code: 9 });
    // A public copy of the same bytes by someone else makes the blob public.
    await putBlob(url, data, carol);
    expect((await read({})).status).toBe(200);
  });

  it('counts reservations toward the quota and keeps reserved bytes no longer than the reservation', async () => {
    const { url } = await start();
    const put = await putBlob(url, new Uint8Array(600).fill(1), alice, { ttlSeconds: 3600 });
    // Past the 100 free bytes: it lives until the reservation ends, not for its hour.
    expect(put.expiresAt).toBe(new Date((Math.floor(clock / 1000) + 100) * 1000).toISOString());
    const refused = await putBlob(url, new Uint8Array(600).fill(2), alice).catch((e: Error) => e);
    expect(String(refused)).toContain(`${alice.address} has 500 of 1100 bytes left (100 free + 1000 reserved with ${PROVIDER})`);
    const carols = await putBlob(url, new Uint8Array(101).fill(3), carol).catch((e: Error) => e);
    expect(String(carols)).toContain('has 100 of 100 bytes left');
    expect(await headBlob(url, blobHash(new Uint8Array(600).fill(2)))).toBeUndefined();
  });
});
