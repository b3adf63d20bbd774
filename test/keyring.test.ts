/**
 * The `file` keyring as a user runs it: `aind keys` and `aind tx` in new processes on a real node,
 * with the CLI's own default backend (the suite's AIND_KEYRING_BACKEND=test is removed here), the
 * passphrase piped on stdin or set in AIND_KEYRING_PASSPHRASE, and keys moved in and out in the
 * Cosmos SDK's armored format. With AIN_SDKARMOR_BIN set to a build of the SDK's own armor functions
 * (home/fixtures/README.md), the export is also read back by the SDK.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import secp256k1 from 'secp256k1';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pubkeyToAddress } from '../core/index.ts';
import { AIND_SCRIPT, deriveKey, REPO_ROOT } from '../home/index.ts';
import { startTestNode, type TestNode } from './helpers/node.ts';

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** `aind ARGS` in a new process with `env` added to a copy of this one's without AIND_KEYRING_*. */
function aind(args: readonly string[], options: { stdin?: string; env?: Record<string, string> } = {}): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
  if (options.env?.AIND_KEYRING_BACKEND === undefined) delete env.AIND_KEYRING_BACKEND;
  if (options.env?.AIND_KEYRING_PASSPHRASE === undefined) delete env.AIND_KEYRING_PASSPHRASE;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [AIND_SCRIPT, ...args], { cwd: REPO_ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.stdin ?? '');
  });
}

const PASS = 'keyring passphrase 1';
const FIXTURE = join(REPO_ROOT, 'home', 'fixtures', 'sdk-v0.47.17-bcrypt.armor');
const FIXTURE_PRIVKEY = '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';

let node: TestNode;
let home: string;
let nodeFlag: string[];

beforeAll(async () => {
  node = await startTestNode({ accounts: 2, balance: '5000000uain' });
  nodeFlag = ['--node', node.rpcUrl.replace('http://', 'tcp://')];
  home = mkdtempSync(join(tmpdir(), 'aind-keyring-e2e-'));
});
afterAll(async () => {
  await node?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
});

describe('aind keys with the file backend', () => {
  it('is the default: a recovered key is stored encrypted, listed without a passphrase', async () => {
    const [alice] = node.accounts;
    const added = await aind(['keys', 'add', 'alice', '--recover', '--home', home, '-o', 'json'], {
      stdin: `${alice!.mnemonic}\n${PASS}\n`,
    });
    expect(added.code, added.stderr).toBe(0);
    expect(JSON.parse(added.stdout)).toMatchObject({ name: 'alice', address: alice!.address });
    expect(existsSync(join(home, 'keyring-test'))).toBe(false);
    const file = readFileSync(join(home, 'keyring-file', 'alice.json'), 'utf8');
    expect(file).not.toContain(alice!.mnemonic);
    expect(JSON.parse(file)).toMatchObject({ crypto: { kdf: 'scrypt', cipher: 'xchacha20-poly1305' } });

    const listed = await aind(['keys', 'list', '--home', home, '-o', 'json']);
    expect(listed.code, listed.stderr).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual([expect.objectContaining({ name: 'alice', address: alice!.address })]);
    // The test backend is another keyring.
    const other = await aind(['keys', 'show', 'alice', '--home', home, '--keyring-backend', 'test']);
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/no key "alice" in .*keyring-test \(it is in .*keyring-file: pass --keyring-backend file\)/);
  });

  it('refuses a wrong passphrase with a clear error and writes nothing', async () => {
    const before = readdirSync(join(home, 'keyring-file')).sort();
    const added = await aind(['keys', 'add', 'bob', '--home', home], { env: { AIND_KEYRING_PASSPHRASE: 'wrong' } });
    expect(added.code).toBe(1);
    expect(added.stderr).toMatch(/wrong keyring passphrase/);
    const deleted = await aind(['keys', 'delete', 'alice', '--home', home, '-y'], { stdin: 'wrong\n' });
    expect(deleted.code).toBe(1);
    expect(deleted.stderr).toMatch(/wrong keyring passphrase/);
    expect(readdirSync(join(home, 'keyring-file')).sort()).toEqual(before);
  });

  it('signs a send on a real node with the passphrase from the env, and refuses a wrong one', async () => {
    const to = node.accounts[1]!.address;
    const send = (passphrase: string) =>
      aind(['tx', 'bank', 'send', 'alice', to, '1234uain', '--home', home, '--gas', 'auto', '--yes', ...nodeFlag], {
        env: { AIND_KEYRING_PASSPHRASE: passphrase },
      });
    const refused = await send('wrong');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/wrong keyring passphrase/);
    const sent = await send(PASS);
    expect(sent.code, sent.stderr).toBe(0);
    expect(JSON.parse(sent.stdout)).toMatchObject({ code: 0 });
  });

  it('sends with --fee-granter: the allowance of the granter pays the fee, the sender pays only the amount', async () => {
    const [alice, bob] = node.accounts;
    const env = { AIND_KEYRING_PASSPHRASE: PASS };
    const added = await aind(['keys', 'add', 'bob', '--recover', '--home', home], { stdin: `${bob!.mnemonic}\n`, env });
    expect(added.code, added.stderr).toBe(0);
    const granted = await aind(
      [
        'tx',
        'feegrant',
        'grant',
        'alice',
        bob!.address,
        '--spend-limit',
        '100000uain',
        '--home',
        home,
        '--gas',
        'auto',
        '--yes',
        ...nodeFlag,
      ],
      { env },
    );
    expect(granted.code, granted.stderr).toBe(0);
    const balance = async (address: string) => {
      const response = await fetch(`${node.apiUrl}/cosmos/bank/v1beta1/balances/${address}/by_denom?denom=uain`);
      return BigInt(((await response.json()) as { balance: { amount: string } }).balance.amount);
    };
    const [aliceBefore, bobBefore] = [await balance(alice!.address), await balance(bob!.address)];
    const sent = await aind(
      [
        'tx',
        'bank',
        'send',
        'bob',
        alice!.address,
        '7uain',
        '--fees',
        '5000uain',
        '--fee-granter',
        alice!.address,
        '--home',
        home,
        '--yes',
        ...nodeFlag,
      ],
      { env },
    );
    expect(sent.code, sent.stderr).toBe(0);
    expect(JSON.parse(sent.stdout)).toMatchObject({ code: 0 });
    expect(await balance(bob!.address)).toBe(bobBefore - 7n);
    expect(await balance(alice!.address)).toBe(aliceBefore + 7n - 5000n);
  });

  it('exports a key in the Cosmos armored format and imports an SDK export', async () => {
    const [alice] = node.accounts;
    const exported = await aind(['keys', 'export', 'alice', '--home', home], { stdin: `${PASS}\nexport pass\n` });
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toMatch(/^-----BEGIN TENDERMINT PRIVATE KEY-----\nkdf: bcrypt\nsalt: [0-9A-F]{32}\ntype: secp256k1\n/);
    const armorFile = join(home, 'alice.armor');
    writeFileSync(armorFile, exported.stdout);
    // Imported again under another name into the test backend: the same key, so the same address twice is refused.
    const again = await aind(['keys', 'import', 'alice2', armorFile, '--home', home, '--keyring-backend', 'test', '-o', 'json'], {
      stdin: 'export pass\n',
    });
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ name: 'alice2', address: alice!.address });
    const wrong = await aind(['keys', 'import', 'alice3', armorFile, '--home', home, '--keyring-backend', 'test'], { stdin: 'nope\n' });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/wrong passphrase for the armored key/);

    // A key exported by the Cosmos SDK v0.47.17 (kdf bcrypt): armor passphrase, then the keyring's.
    const imported = await aind(['keys', 'import', 'sdk', FIXTURE, '--home', home, '-o', 'json'], { stdin: `correct horse\n${PASS}\n` });
    expect(imported.code, imported.stderr).toBe(0);
    const pubkey = secp256k1.publicKeyCreate(Buffer.from(FIXTURE_PRIVKEY, 'hex'), true);
    expect(JSON.parse(imported.stdout)).toMatchObject({ name: 'sdk', address: pubkeyToAddress(pubkey) });

    const sdkBin = process.env.AIN_SDKARMOR_BIN;
    if (sdkBin !== undefined) {
      // The SDK's own UnarmorDecryptPrivKey reads our export back.
      const out = execFileSync(sdkBin, ['import', 'export pass'], { input: exported.stdout, encoding: 'utf8' });
      expect(out.trim()).toBe(`${Buffer.from((await deriveKey(alice!.mnemonic)).privkey).toString('hex')} secp256k1`);
    }
  });
});
