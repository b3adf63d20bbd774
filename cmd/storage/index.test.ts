import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { blobHash, headBlob, startStorageServer, type StorageServer } from '../../storage/index.ts';
import { addKey } from '../../home/index.ts';
import { cliProgram, runCli } from '../common/index.ts';
import { storageCommand } from './index.ts';

/** Runs `aind` with the storage command. */
const aind = (...args: string[]) => runCli(cliProgram(storageCommand()), ['node', 'aind', ...args]);

let root: string;
let server: StorageServer | undefined;
let output: string[];
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'aind-storage-cli-'));
  output = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    output.push(String(chunk));
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    output.push(String(chunk));
    return true;
  });
});
afterEach(async () => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
  await server?.close();
  server = undefined;
  rmSync(root, { recursive: true, force: true });
});

describe('aind storage', () => {
  it('puts a file signed by a keyring key and gets it back into --out', async () => {
    server = await startStorageServer({ dir: join(root, 'store'), port: 0 });
    const home = join(root, 'home');
    await addKey(home, 'alice');
    const file = join(root, 'code.js');
    writeFileSync(file, 'module.exports = ({ a, b }) => a + b;\n');
    await aind('storage', 'put', file, '--from', 'alice', '--home', home, '--url', server.url, '--ttl', '60');
    expect(output.join('')).not.toContain('Error');
    expect(process.exitCode).toBeUndefined();
    const put = JSON.parse(output.join('')) as { hash: string; size: number; expiresAt: string };
    expect(put.hash).toBe(blobHash(readFileSync(file)));
    expect(put.size).toBe(readFileSync(file).length);

    const out = join(root, 'copy.js');
    await aind('storage', 'get', put.hash, '--url', server.url, '--out', out);
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(file, 'utf8'));

    output.length = 0;
    await aind('storage', 'get', blobHash(new Uint8Array([1])), '--url', server.url);
    expect(output.join('')).toMatch(/^Error: no live blob .*\[storage\/7\]\n$/);
    expect(process.exitCode).toBe(1);
  });

  it('runs the node as a process and stops cleanly on SIGTERM', async () => {
    const dir = join(root, 'node');
    const child = spawn(process.execPath, ['cmd/aind.js', 'storage', '--dir', dir, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const firstLine = await new Promise<string>((resolve, reject) => {
      let text = '';
      child.stdout.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        if (text.includes('\n')) resolve(text.split('\n')[0] ?? '');
      });
      child.once('exit', (code) => reject(new Error(`exited with ${code}`)));
    });
    const { url } = JSON.parse(firstLine) as { url: string };
    expect(await headBlob(url, blobHash(new Uint8Array()))).toBeUndefined();
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
