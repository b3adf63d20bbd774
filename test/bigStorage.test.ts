/**
 * Big Storage on chain, end to end on real processes: a node, SeaweedFS (S3) and Kubo (IPFS) built
 * from their Go modules into .bin/, and one `aind storage` process per backend (folder, s3, ipfs),
 * each registering itself as a provider at start. A client finds providers by query, reserves paid
 * space, uploads an encrypted private copy, and sets who may read it; the provider asks the chain on
 * every signed read. Each refusal has its own code and leaves nothing stored: an upload without a
 * reservation or beyond it, a reservation without funds, a truncated upload, a hash mismatch, a
 * forged or replayed read, a reader without a grant or with an expired one. Garbage collection
 * (TTL, a cancelled reservation) empties every backend.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DirectSecp256k1Wallet } from '@cosmjs/proto-signing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AinClient, connectAin } from '../client/connectAin.ts';
import { queryKey, queryProviders, queryReservations } from '../client/queryStorage.ts';
import { AccessKind, keyCommitment, storageMsg } from '../client/storageMessages.ts';
import type { AinError } from '../core/index.ts';
import { ADDRESS_PREFIX } from '../core/address.ts';
import { addKey, AIND_SCRIPT } from '../home/index.ts';
import { type BlobBackend, FolderBackend } from '../storage/backend.ts';
import { ipfsBackend } from '../storage/backendIpfs.ts';
import { openS3Backend } from '../storage/backendS3.ts';
import { blobHash, headBlob } from '../storage/client.ts';
import { newDataKey, unwrapKey, wrapKey } from '../storage/crypto.ts';
import { encryptFile, getBlobToFile, putBlobFile } from '../storage/files.ts';
import { getHeaders, newNonce, putHeaders } from '../storage/signing.ts';
import { startKubo, startSeaweedS3, type RunningServer } from './helpers/storageBackends.ts';
import { queryStorage, type StorageQuery } from '../cmd/query/storage/handler.ts';
import { startTestNode, type TestAccount, type TestNode } from './helpers/node.ts';
import { runAind } from './helpers/cli.ts';
import { until } from './helpers/poll.ts';
import { testKey } from './helpers/tx.ts';
import { rejectionOf } from './helpers/errorCode.ts';

const NAMES = ['alice', 'bob', 'eve', 'p_folder', 'p_s3', 'p_ipfs'] as const;
type Name = (typeof NAMES)[number];
const BACKENDS = ['folder', 's3', 'ipfs'] as const;
type Backend = (typeof BACKENDS)[number];
const MIB = 1024 * 1024;

interface Provider {
  readonly url: string;
  readonly address: string;
  readonly dir: string;
  readonly child: ChildProcess;
  readonly backend: BlobBackend;
}
const codeOf = (error: AinError) => `${error.codespace}/${error.code}`;

describe('Big Storage on chain: providers, reservations, chain-checked private reads on folder, S3 and IPFS', () => {
  let node: TestNode;
  let dir: string;
  let home: string;
  let s3: RunningServer;
  let ipfs: RunningServer;
  const accounts = {} as Record<Name, TestAccount>;
  const clients = {} as Record<Name, AinClient>;
  const providers = {} as Record<Backend, Provider>;

  const startProvider = async (backend: Backend): Promise<Provider> => {
    const name = `p_${backend}` as Name;
    const pdir = join(dir, `storage-${backend}`);
    const extra =
      backend === 's3' ? ['--s3-endpoint', s3.url, '--s3-bucket', 'ain-test'] : backend === 'ipfs' ? ['--ipfs-api', ipfs.url] : [];
    const args = [AIND_SCRIPT, 'storage', '--dir', pdir, '--port', '0', '--backend', backend, ...extra];
    args.push(
      '--chain',
      node.rpcUrl,
      '--register-as',
      name,
      '--key-home',
      home,
      '--price',
      '86400',
      '--capacity',
      String(64 * MIB),
      '--sweep-seconds',
      '1',
    );
    const child = spawn(process.execPath, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, AWS_ACCESS_KEY_ID: 'ain', AWS_SECRET_ACCESS_KEY: 'ain' },
    });
    let err = '';
    child.stderr?.on('data', (c: Buffer) => {
      err += c.toString();
    });
    const line = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout?.on('data', (c: Buffer) => {
        out += c.toString();
        if (out.includes('\n')) resolve(out.split('\n')[0]!);
      });
      child.once('exit', (code) => reject(new Error(`aind storage --backend ${backend} exited ${code}: ${err}`)));
    });
    const { url, address } = JSON.parse(line) as { url: string; address: string };
    const store =
      backend === 'folder'
        ? new FolderBackend(join(pdir, 'blobs'))
        : backend === 's3'
          ? await openS3Backend({ endpoint: s3.url, bucket: 'ain-test', accessKeyId: 'ain', secretAccessKey: 'ain' })
          : ipfsBackend(ipfs.url);
    return { url, address, dir: pdir, child, backend: store };
  };
  const reserve = (client: Name, provider: Backend, bytes: number, seconds: number) =>
    clients[client].signAndBroadcast([
      storageMsg.reserve(accounts[client].address, {
        provider: providers[provider].address,
        bytes: BigInt(bytes),
        durationSeconds: BigInt(seconds),
      }),
    ]);
  const file = (name: string, bytes: Uint8Array) => {
    writeFileSync(join(dir, name), bytes);
    return join(dir, name);
  };
  const objects = async (backend: Backend) => {
    const list: string[] = [];
    for await (const o of providers[backend].backend.list()) list.push(o.hash || o.ref);
    return list;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ain-bigstorage-'));
    home = join(dir, 'home');
    node = await startTestNode({ accounts: NAMES.length });
    for (const [i, name] of NAMES.entries()) {
      accounts[name] = node.accounts[i]!;
      await addKey(home, name, node.accounts[i]!.mnemonic);
      clients[name] = await connectAin({
        rpcUrl: node.rpcUrl,
        signer: await DirectSecp256k1Wallet.fromKey(node.accounts[i]!.privkey, ADDRESS_PREFIX),
        broadcastPollIntervalMs: 100,
      });
    }
    s3 = await startSeaweedS3(join(dir, 'weed'));
    ipfs = await startKubo(join(dir, 'kubo'));
    for (const backend of BACKENDS) providers[backend] = await startProvider(backend);
    // bob and eve need public keys on chain for keys to be wrapped to them: any tx sets it.
    await clients.bob
      .signAndBroadcast([storageMsg.revoke(accounts.bob.address, { hash: 'ab'.repeat(32), addresses: [accounts.eve.address] })])
      .catch(() => undefined);
    await clients.eve
      .signAndBroadcast([storageMsg.revoke(accounts.eve.address, { hash: 'ab'.repeat(32), addresses: [accounts.bob.address] })])
      .catch(() => undefined);
  }, 900_000);

  afterAll(async () => {
    for (const p of Object.values(providers)) {
      const exited = new Promise((resolve) => p.child.once('exit', resolve));
      p.child.kill('SIGTERM');
      await exited;
    }
    await s3?.stop();
    await ipfs?.stop();
    for (const c of Object.values(clients)) c.disconnect();
    await node?.stop();
    rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  it('lists every provider on chain with its backend, URL and price', async () => {
    const listed = await queryProviders(clients.alice.cometClient);
    for (const backend of BACKENDS)
      expect(listed.find((p) => p.address === providers[backend].address)).toMatchObject({
        url: providers[backend].url,
        backends: [backend],
        pricePerGibDay: '86400',
      });
    if (s3.buildSeconds + ipfs.buildSeconds > 0)
      process.stderr.write(`built weed in ${s3.buildSeconds} s, ipfs in ${ipfs.buildSeconds} s\n`);
  });

  it.each(BACKENDS)('%s: reserves, uploads an encrypted private copy, and serves it only to readers the chain admits', async (backend) => {
    const p = providers[backend];
    const secret = randomBytes(MIB + 12_345);
    const dataKey = newDataKey();
    const { hash } = await encryptFile(file(`${backend}.plain`, secret), join(dir, `${backend}.sealed`), dataKey);
    const sealed = join(dir, `${backend}.sealed`);
    // No reservation and no free quota: refused, naming what is left; nothing stored.
    const refused = await rejectionOf(putBlobFile(p.url, sealed, accounts.alice, { private: true }));
    expect(codeOf(refused)).toBe('storage/5');
    expect(refused.message).toContain(`${accounts.alice.address} has 0 of 0 bytes left`);
    expect(await objects(backend)).toEqual([]);

    await reserve('alice', backend, 2 * MIB, 600);
    const { reservedBytes } = await queryReservations(clients.alice.cometClient, accounts.alice.address, p.address);
    expect(reservedBytes).toBe(BigInt(2 * MIB));
    expect(await putBlobFile(p.url, sealed, accounts.alice, { private: true })).toMatchObject({ hash });
    const over = await rejectionOf(putBlobFile(p.url, file(`${backend}.more`, randomBytes(MIB)), accounts.alice));
    expect(codeOf(over)).toBe('storage/5');
    expect(over.message).toMatch(
      new RegExp(`has ${2 * MIB - (await headBlob(p.url, hash, { reader: accounts.alice }))!.size} of ${2 * MIB} bytes left`),
    );

    // Readable by alice (the holder); bob with a grant and a wrapped key; eve not at all.
    const grant = Math.floor(Date.now() / 1000) + 600;
    await clients.alice.signAndBroadcast([
      storageMsg.setAccess(accounts.alice.address, {
        hash,
        kind: AccessKind.ACCESS_KIND_LIST,
        grants: [{ address: accounts.bob.address, expiresAt: BigInt(grant) }],
        encrypted: true,
        keyCommitment: keyCommitment(dataKey),
        provider: p.address,
      }),
      storageMsg.shareKeys(accounts.alice.address, {
        hash,
        keys: [{ reader: accounts.bob.address, wrapped: wrapKey(dataKey, accounts.bob.pubkey), sharedAt: 0n }],
      }),
    ]);
    const wrapped = (await queryKey(clients.bob.cometClient, hash, accounts.alice.address, accounts.bob.address)).key!.wrapped;
    const out = join(dir, `${backend}.bob`);
    await getBlobToFile(p.url, hash, out, { reader: accounts.bob, dataKey: unwrapKey(wrapped, accounts.bob.privkey) });
    expect(readFileSync(out).equals(secret)).toBe(true);

    const eve = await rejectionOf(getBlobToFile(p.url, hash, join(dir, `${backend}.eve`), { reader: accounts.eve }));
    expect(codeOf(eve)).toBe('storage/13');
    expect(eve.message).toContain(`${accounts.eve.address} holds no grant on blob ${hash}`);
    const anonymous = await rejectionOf(getBlobToFile(p.url, hash, join(dir, `${backend}.anon`)));
    expect(codeOf(anonymous)).toBe('storage/12');
    // What eve could copy (bob's file, bob's wrapped key) does not open with her key.
    expect(codeOf(await rejectionOf(Promise.resolve().then(() => unwrapKey(wrapped, accounts.eve.privkey))))).toBe('storage/14');
    expect(existsSync(join(dir, `${backend}.eve`))).toBe(false);

    // The same records through `aind query storage`.
    const cli = (what: StorageQuery, args: string[], flags = {}) => queryStorage(node.rpcUrl, what, args, flags);
    expect(await cli('reservations', [accounts.alice.address], { provider: p.address })).toMatchObject({ reserved_bytes: String(2 * MIB) });
    expect(await cli('can-read', [hash, accounts.alice.address, accounts.bob.address])).toMatchObject({ allowed: true, encrypted: true });
    expect(await cli('can-read', [hash, accounts.alice.address, accounts.eve.address])).toMatchObject({ allowed: false });
    expect(await cli('provider', [p.address])).toMatchObject({ provider: { url: p.url, backends: [backend] } });
    await expect(cli('access', ['nothex', accounts.alice.address])).rejects.toThrow(/HASH "nothex" must be 64 lowercase hex digits/);
  });

  it('refuses forged and replayed reads, expired grants, truncated and mismatched uploads and unfunded reservations, storing nothing', async () => {
    const p = providers.folder;
    const data = randomBytes(4096);
    const { hash } = await putBlobFile(p.url, file('small', data), accounts.alice, { private: true });
    const expiry = Math.floor(Date.now() / 1000) + 4;
    await clients.alice.signAndBroadcast([
      storageMsg.setAccess(accounts.alice.address, {
        hash,
        kind: AccessKind.ACCESS_KIND_LIST,
        grants: [{ address: accounts.bob.address, expiresAt: BigInt(expiry) }],
      }),
    ]);
    const read = (headers: Record<string, string>) => fetch(`${p.url}/blobs/${hash}`, { headers });
    const bobHeaders = getHeaders({ hash, nonce: newNonce(), audience: p.address }, accounts.bob);
    expect((await read(bobHeaders)).status).toBe(200);
    // The same signed request again: a replay.
    const replay = await read(bobHeaders);
    expect(replay.status).toBe(409);
    expect(await replay.json()).toMatchObject({ code: 3 });
    // bob's address and key, eve's signature: forged.
    const forged = {
      ...getHeaders({ hash, nonce: newNonce(), audience: p.address }, accounts.bob),
      'x-ain-signature': getHeaders({ hash, nonce: newNonce(), audience: p.address }, accounts.eve)['x-ain-signature']!,
    };
    const forgedAnswer = await read(forged);
    expect(forgedAnswer.status).toBe(401);
    expect(await forgedAnswer.json()).toMatchObject({ code: 12 });
    // Signed for another provider: refused too.
    expect((await read(getHeaders({ hash, nonce: newNonce(), audience: providers.s3.address }, accounts.bob))).status).toBe(401);
    await until('the grant to expire', async () => (Date.now() / 1000 > expiry + 1 ? true : undefined), 15_000);
    const expired = await read(getHeaders({ hash, nonce: newNonce(), audience: p.address }, accounts.bob));
    expect(expired.status).toBe(403);
    expect(((await expired.json()) as { message: string }).message).toContain(`the grant of ${accounts.bob.address} expired at ${expiry}`);

    // A truncated body and a body of another hash: refused, no object, no record.
    const before = await objects('folder');
    const body = randomBytes(1000);
    const target = blobHash(body);
    const headers = putHeaders({ hash: target, size: 1000, ttlSeconds: 60, nonce: newNonce() }, accounts.alice);
    const truncated = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(
        `${p.url}/blobs/${target}`,
        { method: 'PUT', headers: { ...headers, 'transfer-encoding': 'chunked' } },
        (res) => {
          let text = '';
          res.on('data', (c: Buffer) => {
            text += c.toString();
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        },
      );
      req.on('error', reject);
      req.end(body.subarray(0, 600));
    });
    expect(truncated.status).toBe(422);
    expect(JSON.parse(truncated.body)).toMatchObject({ code: 8 });
    expect(JSON.parse(truncated.body).message).toContain('body has 600 bytes; x-ain-size says 1000');
    const other = randomBytes(1000);
    const mismatch = await fetch(`${p.url}/blobs/${target}`, {
      method: 'PUT',
      headers: putHeaders({ hash: target, size: 1000, ttlSeconds: 60, nonce: newNonce() }, accounts.alice),
      body: other,
    });
    expect(mismatch.status).toBe(422);
    expect(await mismatch.json()).toMatchObject({ code: 6 });
    expect(await headBlob(p.url, target)).toBeUndefined();
    expect(await objects('folder')).toEqual(before);
    expect(readFileSync(join(p.dir, 'meta.json'), 'utf8')).not.toContain(target);

    // A reservation beyond a client's means: bigstorage/15, nothing escrowed.
    const poorKey = testKey('bigstorage-poor');
    await clients.alice.signAndBroadcast([
      {
        typeUrl: '/cosmos.bank.v1beta1.MsgSend',
        value: { fromAddress: accounts.alice.address, toAddress: poorKey.address, amount: [{ denom: 'uain', amount: '20000' }] },
      },
    ]);
    const poor = await connectAin({
      rpcUrl: node.rpcUrl,
      signer: await DirectSecp256k1Wallet.fromKey(poorKey.privkey, ADDRESS_PREFIX),
      broadcastPollIntervalMs: 100,
    });
    const refusal = await poor
      .signAndBroadcast([
        storageMsg.reserve(poorKey.address, { provider: p.address, bytes: BigInt(32 * MIB), durationSeconds: 365n * 86_400n }),
      ])
      .then(
        () => undefined,
        (e: unknown) => e as { codespace: string; code: number; log: string },
      );
    poor.disconnect();
    expect(refusal).toMatchObject({ codespace: 'bigstorage', code: 15 });
    expect(refusal?.log).toContain('costs 985500uain');
    expect((await queryReservations(clients.alice.cometClient, poorKey.address)).reservations).toEqual([]);
  });

  it.each(BACKENDS)('%s: collects garbage: blobs past their TTL and blobs of a cancelled reservation', async (backend) => {
    const p = providers[backend];
    await reserve('bob', backend, MIB, 600);
    const { reservations } = await queryReservations(clients.bob.cometClient, accounts.bob.address, p.address);
    const short = await putBlobFile(p.url, file(`${backend}.ttl`, randomBytes(10_000)), accounts.bob, { ttlSeconds: 2 });
    const reserved = await putBlobFile(p.url, file(`${backend}.res`, randomBytes(20_000)), accounts.bob, { ttlSeconds: 3600 });
    const stored = async (hash: string) => (await headBlob(p.url, hash)) !== undefined;
    const count = async () => (await objects(backend)).length;
    expect(await stored(short.hash)).toBe(true);
    const withBoth = await count();
    await until(
      `${backend} to drop the expired blob`,
      async () => (!(await stored(short.hash)) && (await count()) === withBoth - 1 ? true : undefined),
      20_000,
    );
    expect(await stored(reserved.hash)).toBe(true);
    await clients.bob.signAndBroadcast([storageMsg.cancelReservation(accounts.bob.address, { reservationId: reservations.at(-1)!.id })]);
    await until(
      `${backend} to drop the blob of the cancelled reservation`,
      async () => (!(await stored(reserved.hash)) && (await count()) === withBoth - 2 ? true : undefined),
      20_000,
    );
  });

  it('the CLI exits 1 when the chain refuses its storage tx (a grant before any access record)', async () => {
    const hash = blobHash(new TextEncoder().encode('a blob no access record names'));
    const args = ['storage', 'grant', hash, accounts.bob.address, '--from', 'alice', '--home', home, '--node', node.rpcUrl];
    const refused = await runAind(...args, '--output', 'json');
    expect(refused.code, refused.stderr).toBe(1);
    expect(JSON.parse(refused.stdout)).toMatchObject({ codespace: 'bigstorage', code: 8 });
  });
});
