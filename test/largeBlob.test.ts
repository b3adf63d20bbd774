/**
 * A 1 GiB input through Big Storage without any process holding it whole: `aind storage put
 * --encrypt` encrypts the file into a temp file chunk by chunk and streams it up, the `aind storage`
 * node streams it to its temp folder while hashing and renames it into place, and `aind storage get
 * --from --owner` (the executors' download path, `getBlobToFile`) streams it down while hashing and
 * decrypts it chunk by chunk into the output file. Each process reports its peak RSS, which must stay
 * far below the blob's size; the bytes that come out are the bytes that went in.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addKey, AIND_SCRIPT, REPO_ROOT } from '../home/index.ts';
import { hashFile } from '../storage/files.ts';

const GIB = 1024 * 1024 * 1024;
const PRELOAD = join(REPO_ROOT, 'test', 'helpers', 'reportRss.mjs');
const MNEMONIC = 'test test test test test test test test test test test junk';

/** Runs `aind ARGS` with the RSS reporter; resolves with its exit code, output and peak RSS. */
function aind(
  dir: string,
  label: string,
  args: readonly string[],
): { child: ChildProcess; done: Promise<{ code: number | null; out: string; rss: number }> } {
  const rssFile = join(dir, `${label}.rss`);
  const child = spawn(process.execPath, ['--import', PRELOAD, AIND_SCRIPT, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, AIN_RSS_FILE: rssFile },
  });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => {
    out += c.toString();
  });
  child.stderr?.on('data', (c: Buffer) => {
    out += c.toString();
  });
  const done = new Promise<{ code: number | null; out: string; rss: number }>((resolve) =>
    child.once('exit', (code) => resolve({ code, out, rss: existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8')) : Number.NaN })),
  );
  return { child, done };
}

const mib = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MiB`;

describe('a 1 GiB encrypted input streams through upload, storage and download', () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ain-large-'));
    await addKey(join(dir, 'home'), 'alice', MNEMONIC);
    // 1 GiB written 4 MiB at a time.
    const out = createWriteStream(join(dir, 'input.bin'));
    for (let i = 0; i < GIB / (4 * 1024 * 1024); i++)
      if (!out.write(randomBytes(4 * 1024 * 1024))) await new Promise<void>((r) => out.once('drain', () => r()));
    await new Promise<void>((resolve) => out.end(() => resolve()));
  }, 300_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps every process far below the blob size and returns the same bytes', async () => {
    const home = join(dir, 'home');
    const server = aind(dir, 'storage', [
      'storage',
      '--dir',
      join(dir, 'store'),
      '--port',
      '0',
      '--max-blob-bytes',
      String(2 * GIB),
      '--quota-bytes',
      String(4 * GIB),
    ]);
    const url = await new Promise<string>((resolve, reject) => {
      server.child.stdout?.on('data', (c: Buffer) => {
        const line = c.toString().split('\n')[0];
        if (line?.startsWith('{')) resolve((JSON.parse(line) as { url: string }).url);
      });
      server.child.once('exit', () => reject(new Error('storage exited')));
    });
    const started = Date.now();
    const put = await aind(dir, 'put', [
      'storage',
      'put',
      join(dir, 'input.bin'),
      '--encrypt',
      '--from',
      'alice',
      '--home',
      home,
      '--url',
      url,
    ]).done;
    expect(put.code, put.out).toBe(0);
    const { hash, size } = JSON.parse(put.out) as { hash: string; size: number };
    expect(size).toBeGreaterThan(GIB);
    const uploaded = Date.now();
    const owner = JSON.parse(readFileSync(join(home, 'storage-keys.json'), 'utf8')) as Record<string, string>;
    expect(owner[hash]).toMatch(/^[0-9a-f]{64}$/);
    const address = (await import('../home/index.ts')).getKey(home, 'alice').address;
    const get = await aind(dir, 'get', [
      'storage',
      'get',
      hash,
      '--from',
      'alice',
      '--owner',
      address,
      '--home',
      home,
      '--url',
      url,
      '--out',
      join(dir, 'output.bin'),
    ]).done;
    expect(get.code, get.out).toBe(0);
    const downloaded = Date.now();
    server.child.kill('SIGTERM');
    const stored = await server.done;
    expect(statSync(join(dir, 'output.bin')).size).toBe(GIB);
    expect((await hashFile(join(dir, 'output.bin'))).hash).toBe((await hashFile(join(dir, 'input.bin'))).hash);
    const figures = { upload: put.rss, storage: stored.rss, download: get.rss };
    process.stderr.write(
      `1 GiB: peak RSS upload (encrypt + put) ${mib(put.rss)}, storage node ${mib(stored.rss)}, download (get + decrypt) ${mib(get.rss)}; ` +
        `encrypt+upload ${((uploaded - started) / 1000).toFixed(1)} s, download+decrypt ${((downloaded - uploaded) / 1000).toFixed(1)} s\n`,
    );
    for (const [what, rss] of Object.entries(figures)) expect(rss, what).toBeLessThan(400 * 1024 * 1024);
  }, 600_000);
});
