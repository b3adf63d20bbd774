/**
 * docker-compose.yml and the Dockerfile describe the same network as `aind localnet`: checked with
 * `docker compose config` where the Compose plugin exists, and always structurally (no YAML parser is
 * installed, so a reader for the plain block style the file is written in is below) and against the
 * homes the init service's own command writes.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ensureCometbft, pinnedCometbftVersion } from '../../scripts/setup.mjs';
import { COMETBFT_BIN, getKey, getTomlValue, REPO_ROOT } from '../../home/index.ts';
import { cliProgram, runCli } from '../common/index.ts';
import { localnetCommand } from './index.ts';
import { DOCKER_DIR, DOCKER_PORTS, DOCKER_STORAGE_PORT, EXECUTOR_KEY, readManifest } from '../../localnet/index.ts';

type Yaml = string | Yaml[] | { [key: string]: Yaml };

/**
 * Reads the YAML subset docker-compose.yml uses: `#` comment lines, block mappings (`key: value`,
 * `key:` + an indented block), block sequences of scalars (`- value`), double-quoted and plain
 * scalars, and flow sequences written as JSON arrays. Anything else throws, so the file stays in it.
 */
function readYamlSubset(text: string): Yaml {
  const lines = text
    .split('\n')
    .map((raw, i) => ({ n: i + 1, indent: raw.length - raw.trimStart().length, body: raw.trim() }))
    .filter((l) => l.body !== '' && !l.body.startsWith('#'));
  let at = 0;
  const scalar = (s: string, n: number): Yaml => {
    if (s.startsWith('[')) return JSON.parse(s) as string[];
    if (s.startsWith('"')) return JSON.parse(s) as string;
    if (/^[\w./:@-]+$/.test(s)) return s;
    throw new Error(`line ${n}: "${s}" is outside the YAML subset`);
  };
  const block = (indent: number): Yaml => {
    if (lines[at]!.body.startsWith('- ')) {
      const items: Yaml[] = [];
      while (at < lines.length && lines[at]!.indent === indent && lines[at]!.body.startsWith('- ')) {
        items.push(scalar(lines[at]!.body.slice(2), lines[at]!.n));
        at++;
      }
      return items;
    }
    const map: Record<string, Yaml> = {};
    while (at < lines.length && lines[at]!.indent === indent) {
      const { body, n } = lines[at]!;
      const match = /^([\w.-]+):(?: (.*))?$/.exec(body);
      if (!match) throw new Error(`line ${n}: "${body}" is not "key: value"`);
      if (match[1]! in map) throw new Error(`line ${n}: duplicate key ${match[1]}`);
      at++;
      if (match[2] !== undefined) map[match[1]!] = scalar(match[2], n);
      else if (at < lines.length && lines[at]!.indent > indent) map[match[1]!] = block(lines[at]!.indent);
      else map[match[1]!] = {};
    }
    if (at < lines.length && lines[at]!.indent > indent) throw new Error(`line ${lines[at]!.n}: unexpected indentation`);
    return map;
  };
  const doc = block(0);
  if (at !== lines.length) throw new Error(`line ${lines[at]!.n}: not parsed`);
  return doc;
}

interface Service {
  build?: string;
  image?: string;
  command: string[];
  init?: string;
  depends_on?: Record<string, { condition: string }>;
  volumes?: string[];
  ports?: string[];
}

const composeText = readFileSync(join(REPO_ROOT, 'docker-compose.yml'), 'utf8');
const compose = readYamlSubset(composeText) as unknown as { services: Record<string, Service>; volumes: Record<string, unknown> };
const services = compose.services;
const VALIDATORS = ['node0', 'node1', 'node2', 'node3'];

let dir: string;
beforeAll(async () => {
  ensureCometbft({ quiet: true });
  // Run the init service's own command with the real CLI, into a temp folder instead of the volume.
  dir = mkdtempSync(join(tmpdir(), 'aind-compose-'));
  const args = services.init!.command.map((a) => (a === DOCKER_DIR ? dir : a));
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    await runCli(cliProgram(localnetCommand()), ['node', 'aind', ...args]);
  } finally {
    vi.restoreAllMocks();
  }
  expect(process.exitCode ?? 0).toBe(0);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A path inside the compose volume, mapped to the temp folder the init command wrote. */
const local = (path: string) => path.replace(DOCKER_DIR, dir);

describe('docker-compose.yml', () => {
  it('has the init service, 4 validators, storage and an executor, all on the one image and volume', () => {
    expect(Object.keys(services).sort()).toEqual(['executor', 'init', ...VALIDATORS, 'storage'].sort());
    expect(Object.keys(compose.volumes)).toEqual(['localnet']);
    for (const [name, service] of Object.entries(services)) {
      expect(service.build, name).toBe('.');
      expect(service.image, name).toBe('ain-chain:local');
      expect(service.volumes, name).toEqual([`localnet:${DOCKER_DIR}`]);
      if (name !== 'init') {
        expect(service.depends_on?.init, name).toEqual({ condition: 'service_completed_successfully' });
        expect(service.init, `${name} reaps its children`).toBe('true');
      }
    }
    expect(services.init!.command).toEqual(['localnet', 'init', '--dir', DOCKER_DIR, '--validators', '4', '--docker']);
    const published = Object.values(services).flatMap((s) => (s.ports ?? []).map((p) => p.split(':')[0]));
    expect(new Set(published).size).toBe(published.length);
  });

  it("matches the homes the init command writes: host names, ports, peers, the executor's key and node", () => {
    const manifest = readManifest(dir);
    expect(manifest.docker).toBe(true);
    expect(manifest.nodes.map((n) => n.name)).toEqual(VALIDATORS);
    for (const node of manifest.nodes) {
      const service = services[node.host]!;
      expect(service.command, node.name).toEqual(['start', '--home', `${DOCKER_DIR}/${node.name}`]);
      expect(existsSync(join(local(service.command[2]!), 'config', 'genesis.json'))).toBe(true);
      expect(service.ports).toContain(`${26657 + 10 * VALIDATORS.indexOf(node.name)}:${DOCKER_PORTS.rpc}`);
      const config = readFileSync(join(dir, node.name, 'config', 'config.toml'), 'utf8');
      const peers = String(getTomlValue(config, 'p2p', 'persistent_peers')).split(',');
      expect(peers).toHaveLength(3);
      for (const peer of peers) {
        const [, host, port] = /^[0-9a-f]{40}@([\w-]+):(\d+)$/.exec(peer)!;
        expect(VALIDATORS).toContain(host);
        expect(Number(port)).toBe(DOCKER_PORTS.p2p);
      }
    }
    const storage = services.storage!.command;
    expect(storage.slice(0, 1)).toEqual(['storage']);
    expect(storage[storage.indexOf('--port') + 1]).toBe(String(manifest.storage.port));
    expect(manifest.storage).toEqual({ host: 'storage', port: DOCKER_STORAGE_PORT });

    const executor = services.executor!.command;
    const flag = (name: string) => executor[executor.indexOf(name) + 1]!;
    expect(executor[0]).toBe('executor');
    expect(flag('--node')).toBe(`tcp://${manifest.executor.node}:${DOCKER_PORTS.rpc}`);
    expect(flag('--storage')).toBe(`http://${manifest.storage.host}:${manifest.storage.port}`);
    expect(getKey(local(flag('--home')), flag('--key')).address).toBe(manifest.executor.address);
    expect(flag('--key')).toBe(EXECUTOR_KEY);
  });

  it.skipIf(spawnSync('docker', ['compose', 'version']).status !== 0)('passes docker compose config', () => {
    const result = spawnSync('docker', ['compose', '-f', join(REPO_ROOT, 'docker-compose.yml'), 'config', '--quiet'], { encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
  });
});

describe('Dockerfile', () => {
  const dockerfile = readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8');

  it('builds the CometBFT version pinned in package.json in a Go stage and runs the app on Node 20', () => {
    const stages = [...dockerfile.matchAll(/^FROM (\S+)(?: AS (\w+))?$/gm)].map((m) => [m[1], m[2]]);
    expect(stages).toEqual([
      [expect.stringMatching(/^golang:1\.(2[2-9]|[3-9]\d)-/), 'cometbft'],
      [expect.stringMatching(/^node:20-/), undefined],
    ]);
    expect(dockerfile).toContain('go install "github.com/cometbft/cometbft/cmd/cometbft@${version}"');
    // The Go stage's sed reads the pinned version out of package.json: run it on this package.json.
    const sed = /version="\$\(sed -n '([^']+)' package\.json\)"/.exec(dockerfile)![1]!;
    const extracted = spawnSync('sed', ['-n', sed, join(REPO_ROOT, 'package.json')], { encoding: 'utf8' }).stdout.trim();
    expect(extracted).toBe(pinnedCometbftVersion());
    // The binary lands where scripts/setup.mjs looks for it, so `aind start` uses it as is.
    const copied = /^COPY --from=cometbft \/out\/cometbft (\S+)$/m.exec(dockerfile)![1]!;
    expect(copied).toBe(join('/app', COMETBFT_BIN.slice(REPO_ROOT.length + 1)));
    expect(dockerfile).toMatch(/^WORKDIR \/app$/m);
    expect(dockerfile).toMatch(/^RUN npm ci /m);
    expect(dockerfile).toContain('ENTRYPOINT ["node", "cmd/aind.js"]');
  });
});
