/**
 * The npm package @ain-chain/client (packages/client, built from client/) as a dApp developer gets
 * it: `npm pack` (its prepack builds dist/ from the sources), then `npm install --offline` of the
 * tarball into an empty project whose dependencies are the repository's installed copies (linked,
 * so nothing comes from the registry), then a plain-Node ES module script (no tsx) that connects to
 * a real node, signs a send and a state write, and verifies a proof. A TypeScript consumer is
 * type-checked against the declarations the tarball ships.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { StargateClient } from '@cosmjs/stargate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../home/index.ts';
import { startTestNode, type TestNode } from './helpers/node.ts';

const PACKAGE_DIR = join(REPO_ROOT, 'packages', 'client');
const manifest = JSON.parse(readFileSync(join(PACKAGE_DIR, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  exports: Record<string, unknown>;
  dependencies: Record<string, string>;
};
/** npm and node without the test runner's loaders (the script must run on plain Node). */
const ENV = { ...process.env, NODE_OPTIONS: '' };

/** Runs a command; throws with its output when it fails. */
function run(command: string, args: readonly string[], cwd: string): string {
  const result = spawnSync(command, args, { cwd, env: ENV, encoding: 'utf8', timeout: 300_000 });
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(' ')} exited ${result.status ?? result.signal}:\n${result.stdout}${result.stderr}`);
  return result.stdout;
}

let node: TestNode;
let dir: string;
let project: string;
let tarball: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ain-client-package-'));
  const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', dir], PACKAGE_DIR)) as {
    filename: string;
    files: { path: string }[];
  }[];
  tarball = join(dir, packed[0]!.filename);
  // An empty project: its dependencies linked to the repository's installed copies, then the tarball.
  project = join(dir, 'app');
  mkdirSync(join(project, 'node_modules'), { recursive: true });
  writeFileSync(join(project, 'package.json'), `${JSON.stringify({ name: 'ain-dapp', private: true, type: 'module' }, null, 2)}\n`);
  const link = (name: string) => {
    mkdirSync(dirname(join(project, 'node_modules', name)), { recursive: true });
    symlinkSync(join(REPO_ROOT, 'node_modules', name), join(project, 'node_modules', name));
  };
  for (const name of Object.keys(manifest.dependencies)) link(name);
  run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--no-package-lock', tarball], project);
  // Node's types for the TypeScript consumer below (npm prunes packages the project does not list).
  link('@types/node');
  node = await startTestNode({ accounts: 2 });
}, 600_000);
afterAll(async () => {
  await node?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('@ain-chain/client from its tarball', () => {
  it('ships compiled JS, type declarations and an exports map, and no TypeScript sources', () => {
    const installed = join(project, 'node_modules', '@ain-chain', 'client');
    const shipped = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as typeof manifest;
    expect(shipped.name).toBe('@ain-chain/client');
    expect(shipped.exports['.']).toEqual({ types: './dist/types/client/index.d.ts', import: './dist/index.js' });
    expect(existsSync(join(installed, 'dist', 'index.js'))).toBe(true);
    expect(existsSync(join(installed, 'dist', 'types', 'client', 'index.d.ts'))).toBe(true);
    expect(existsSync(join(installed, 'README.md'))).toBe(true);
    const files = run('tar', ['-tzf', tarball], dir).trim().split('\n');
    expect(files.filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))).toEqual([]);
    // The declarations import each other as the JS does (./x.js), never the repository's ./x.ts.
    const face = readFileSync(join(installed, 'dist', 'types', 'client', 'index.d.ts'), 'utf8');
    expect(face).toMatch(/from '\.\/connectAin\.js'/);
    expect(face).not.toMatch(/\.ts'/);
  });

  it('runs in a plain Node script: connects, signs a send and a state write, verifies the proof', async () => {
    const [sender, recipient] = node.accounts;
    copyFileSync(join(REPO_ROOT, 'test', 'testdata', 'client-package', 'main.mjs'), join(project, 'main.mjs'));
    const reader = await StargateClient.connect(node.rpcUrl);
    try {
      const before = BigInt((await reader.getBalance(recipient!.address, 'uain')).amount);
      const output = run(process.execPath, ['main.mjs', node.rpcUrl, sender!.mnemonic, recipient!.address], project);
      const result = JSON.parse(output.trim().split('\n').at(-1)!) as {
        address: string;
        chainId: string;
        send: { code: number; height: number };
        write: { code: number; height: number };
        value: unknown;
        height: number;
        verified: boolean;
        tampered: boolean;
      };
      expect(result).toMatchObject({
        address: sender!.address,
        chainId: node.chainId,
        value: 'hello from npm',
        verified: true,
        tampered: false,
      });
      expect(result.send.code).toBe(0);
      expect(result.write.code).toBe(0);
      expect(result.height).toBeGreaterThanOrEqual(result.write.height);
      // The send moved the coins on chain, as another client sees it.
      expect(BigInt((await reader.getBalance(recipient!.address, 'uain')).amount)).toBe(before + 12345n);
    } finally {
      reader.disconnect();
    }
  });

  it("types a TypeScript consumer with the tarball's declarations, and refuses a wrong call", () => {
    const tsc = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const options = [
      '--noEmit',
      '--strict',
      '--module',
      'nodenext',
      '--moduleResolution',
      'nodenext',
      '--target',
      'es2022',
      '--types',
      'node',
    ];
    writeFileSync(
      join(project, 'consumer.ts'),
      [
        "import { type AinClient, connectAin, type StateProofAnswer, verifyStateProof } from '@ain-chain/client';",
        'export async function readGreeting(rpcUrl: string): Promise<boolean> {',
        '  const client: AinClient = await connectAin({ rpcUrl });',
        "  const answer: StateProofAnswer = await client.ref('/apps/npmapp/greeting/text').prove();",
        '  const verified: boolean = await answer.verify();',
        '  client.disconnect();',
        '  return verified && !verifyStateProof({ appHash: new Uint8Array(32), path: answer.path, value: answer.value, proof: answer.proof });',
        '}',
        '',
      ].join('\n'),
    );
    // No skipLibCheck, so the package's declarations are checked too; errors inside the CosmJS
    // packages' own declarations (they name protobufjs types without depending on it) are theirs.
    const checked = spawnSync(process.execPath, [tsc, ...options, 'consumer.ts'], { cwd: project, env: ENV, encoding: 'utf8' });
    const errors = checked.stdout.split('\n').filter((line) => /^\S+\(\d+,\d+\): error /.test(line));
    const ours = errors.filter((line) => line.startsWith('consumer.ts') || line.startsWith('node_modules/@ain-chain/'));
    expect(ours).toEqual([]);
    expect(
      errors.every((line) => line.includes('/node_modules/@cosmjs/')),
      checked.stdout,
    ).toBe(true);
    writeFileSync(
      join(project, 'misuse.ts'),
      "import { connectAin } from '@ain-chain/client';\nexport const client = connectAin({ rpcUrl: 26657 });\n",
    );
    const misuse = spawnSync(process.execPath, [tsc, ...options, 'misuse.ts'], { cwd: project, env: ENV, encoding: 'utf8' });
    expect(misuse.status).not.toBe(0);
    expect(misuse.stdout).toMatch(/misuse\.ts\(2,\d+\): error TS2322: Type 'number' is not assignable to type 'string'/);
  });
});
