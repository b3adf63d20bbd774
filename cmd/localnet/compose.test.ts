/**
 * docker-compose.yml and the Dockerfile describe the same network as `aind localnet`: the file is
 * loaded with the Compose Specification's own Go loader (compose-go, what `docker compose` uses:
 * schema validation, normalisation, consistency checks), built from scripts/go/compose into
 * .bin/compose-config, and the model it prints is checked against the homes the init service's own
 * command writes. `docker compose config` runs too where the Compose plugin exists.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ensureCometbft, ensureGoServer, pinnedCometbftVersion } from '../../scripts/setup.mjs';
import { COMETBFT_BIN, getKey, getTomlValue, REPO_ROOT } from '../../home/index.ts';
import { cliProgram, runCli } from '../common/index.ts';
import { localnetCommand } from './index.ts';
import { DOCKER_DIR, DOCKER_PORTS, DOCKER_STORAGE_PORT, EXECUTOR_KEY, readManifest } from '../../localnet/index.ts';

/** A service as compose-go's normalised model has it (the fields this test reads). */
interface Service {
  build?: { context: string; dockerfile: string };
  image?: string;
  command: string[];
  init?: boolean;
  depends_on?: Record<string, { condition: string; required: boolean }>;
  volumes?: { type: string; source: string; target: string }[];
  ports?: { target: number; published: string; protocol: string }[];
}
interface Project {
  name: string;
  services: Record<string, Service>;
  volumes: Record<string, { name: string }>;
}

/** Loads a Compose file with compose-go; throws with the loader's message when it refuses the file. */
function loadCompose(file: string): Project {
  const result = spawnSync(ensureGoServer('compose', { quiet: true }).bin, [file], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(result.stderr.trim() || `compose-config exited ${result.status ?? result.signal}`);
  return JSON.parse(result.stdout) as Project;
}

const VALIDATORS = ['node0', 'node1', 'node2', 'node3'];
let compose: Project;
let services: Record<string, Service>;
let dir: string;
beforeAll(async () => {
  ensureCometbft({ quiet: true });
  compose = loadCompose(join(REPO_ROOT, 'docker-compose.yml'));
  services = compose.services;
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
}, 600_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A path inside the compose volume, mapped to the temp folder the init command wrote. */
const local = (path: string) => path.replace(DOCKER_DIR, dir);

describe('docker-compose.yml', () => {
  it('has the init service, 4 validators, storage and an executor, all on the one image and volume', () => {
    expect(compose.name).toBe('ain-localnet');
    expect(Object.keys(services).sort()).toEqual(['executor', 'init', ...VALIDATORS, 'storage'].sort());
    expect(Object.keys(compose.volumes)).toEqual(['localnet']);
    for (const [name, service] of Object.entries(services)) {
      expect(service.build, name).toEqual({ context: REPO_ROOT, dockerfile: 'Dockerfile' });
      expect(service.image, name).toBe('ain-chain:local');
      expect(service.volumes, name).toEqual([{ type: 'volume', source: 'localnet', target: DOCKER_DIR, volume: {} }]);
      if (name !== 'init') {
        expect(service.depends_on?.init, name).toEqual({ condition: 'service_completed_successfully', required: true });
        expect(service.init, `${name} reaps its children`).toBe(true);
      }
    }
    expect(services.init!.command).toEqual(['localnet', 'init', '--dir', DOCKER_DIR, '--validators', '4', '--docker']);
    const published = Object.values(services).flatMap((s) => (s.ports ?? []).map((p) => p.published));
    expect(new Set(published).size).toBe(published.length);
  });

  it('is refused by the loader when it breaks the spec (an unknown key, a dependency on no service)', () => {
    const text = readFileSync(join(REPO_ROOT, 'docker-compose.yml'), 'utf8');
    const broken = join(dir, 'broken.yml');
    writeFileSync(broken, text.replace('    restart: unless-stopped', '    restarts: unless-stopped'));
    expect(() => loadCompose(broken)).toThrow(/restarts/);
    writeFileSync(
      broken,
      text.replace(
        '      init:\n        condition: service_completed_successfully',
        '      init0:\n        condition: service_completed_successfully',
      ),
    );
    expect(() => loadCompose(broken)).toThrow(/depends on undefined service "init0"/);
  });

  it("matches the homes the init command writes: host names, ports, peers, the executor's key and node", () => {
    const manifest = readManifest(dir);
    expect(manifest.docker).toBe(true);
    expect(manifest.nodes.map((n) => n.name)).toEqual(VALIDATORS);
    for (const node of manifest.nodes) {
      const service = services[node.host]!;
      expect(service.command, node.name).toEqual(['start', '--home', `${DOCKER_DIR}/${node.name}`]);
      expect(existsSync(join(local(service.command[2]!), 'config', 'genesis.json'))).toBe(true);
      expect(service.ports).toContainEqual(
        expect.objectContaining({ published: String(26657 + 10 * VALIDATORS.indexOf(node.name)), target: DOCKER_PORTS.rpc }),
      );
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

  it('builds the way a checkout does: the set-up step runs on the copied sources and the CometBFT binary', () => {
    const steps = dockerfile.split('\n').filter((line) => /^(COPY|RUN) /.test(line));
    const at = (step: string) => steps.indexOf(step);
    expect(at('RUN node scripts/setup.mjs')).toBeGreaterThan(at('COPY . .'));
    expect(at('RUN node scripts/setup.mjs')).toBeGreaterThan(
      at(`COPY --from=cometbft /out/cometbft /app/${COMETBFT_BIN.slice(REPO_ROOT.length + 1)}`),
    );
    expect(at('COPY . .')).toBeGreaterThan(0);
    // npm ci needs every workspace's package.json besides the lock file.
    const workspaces = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { workspaces?: string[] }).workspaces ?? [];
    for (const workspace of workspaces) {
      const copy = at(`COPY ${workspace}/package.json ${workspace}/`);
      expect(copy, `the Dockerfile copies ${workspace}/package.json`).toBeGreaterThan(0);
      expect(copy).toBeLessThan(steps.findIndex((step) => step.startsWith('RUN npm ci ')));
    }
    // What setup builds from the sources stays out of the build context: the image compiles its own.
    expect(readFileSync(join(REPO_ROOT, '.dockerignore'), 'utf8').split('\n')).toEqual(
      expect.arrayContaining(['node_modules', '.bin', 'dist']),
    );
  });
});
