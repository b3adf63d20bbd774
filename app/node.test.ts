import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { COMETBFT_GOGC, cometbftEnvironment, cometExitHint, MIN_COMETBFT_GOMAXPROCS, startNode } from './node.ts';

const LOCKED = 'ERROR: failed to create node: failed to initialize database: resource temporarily unavailable';

let dir: string | undefined;
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('a node whose CometBFT exits at once', () => {
  it('shuts down without waiting for companions that wait for a first block, and says why CometBFT stopped', async () => {
    dir = mkdtempSync(join(tmpdir(), 'ain-node-'));
    // Stands in for CometBFT finding its databases locked by another CometBFT on the same home.
    const binary = join(dir, 'cometbft');
    writeFileSync(binary, `#!/bin/sh\necho "${LOCKED}"\nexit 1\n`);
    chmodSync(binary, 0o755);
    const written: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    let aborted: unknown;
    const node = await startNode({
      db: join(dir, 'data', 'application.db'),
      abci: { host: '127.0.0.1', port: 0 },
      cometRpcUrl: 'http://127.0.0.1:9',
      cometbft: { binary, home: dir },
      // Like aind dev's storage and executor: they start only after the chain's first block.
      companions: (_rpcUrl, signal) =>
        new Promise((_resolve, reject) =>
          signal.addEventListener('abort', () => {
            aborted = signal.reason;
            reject(signal.reason);
          }),
        ),
    });
    expect(await node.exited).toBe(1);
    expect(String(aborted)).toContain('the node is shutting down: cometbft exited (code 1');
    const output = written.join('');
    expect(output).toContain(LOCKED);
    expect(output).toContain(`Another CometBFT holds the databases of ${dir}`);
    // An aborted start is part of the shutdown, not a failure to report.
    expect(output).not.toContain('companion services failed to start');
  });
});

describe("CometBFT's environment", () => {
  it('gives CometBFT at least 8 Go scheduler slots and a GOGC of 400 unless the operator sets them, and keeps the rest of the environment', () => {
    const gogc = String(COMETBFT_GOGC);
    expect(gogc).toBe('400');
    expect(cometbftEnvironment({ PATH: '/usr/bin' }, 2)).toEqual({
      PATH: '/usr/bin',
      GOMAXPROCS: String(MIN_COMETBFT_GOMAXPROCS),
      GOGC: gogc,
    });
    expect(cometbftEnvironment({}, 32)).toEqual({ GOMAXPROCS: '32', GOGC: gogc });
    expect(cometbftEnvironment({ GOMAXPROCS: '3' }, 2)).toEqual({ GOMAXPROCS: '3', GOGC: gogc });
    expect(cometbftEnvironment({ GOMAXPROCS: '' }, 2)).toEqual({ GOMAXPROCS: '8', GOGC: gogc });
    expect(cometbftEnvironment({ GOGC: '100', GOMEMLIMIT: '1GiB' }, 2)).toEqual({ GOMAXPROCS: '8', GOGC: '100', GOMEMLIMIT: '1GiB' });
    expect(cometbftEnvironment({ GOGC: 'off', GOMAXPROCS: '2' }, 2)).toEqual({ GOGC: 'off', GOMAXPROCS: '2' });
    expect(cometbftEnvironment({ GOGC: '' }, 2)).toEqual({ GOMAXPROCS: '8', GOGC: gogc });
  });

  it.each([
    ['unset', undefined, undefined, String(Math.max(availableParallelism(), MIN_COMETBFT_GOMAXPROCS)), String(COMETBFT_GOGC)],
    ["the operator's", '3', '150', '3', '150'],
  ])('is what the node runner starts CometBFT with (GOMAXPROCS and GOGC %s)', async (_case, slots, gogc, expectedSlots, expectedGogc) => {
    dir = mkdtempSync(join(tmpdir(), 'ain-node-'));
    vi.stubEnv('GOMAXPROCS', slots);
    vi.stubEnv('GOGC', gogc);
    const binary = join(dir, 'cometbft');
    writeFileSync(binary, '#!/bin/sh\necho "GOMAXPROCS=[$GOMAXPROCS] GOGC=[$GOGC] PATH=[$PATH]"\nexit 1\n');
    chmodSync(binary, 0o755);
    const written: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    const node = await startNode({
      db: join(dir, 'data', 'application.db'),
      abci: { host: '127.0.0.1', port: 0 },
      cometRpcUrl: 'http://127.0.0.1:9',
      cometbft: { binary, home: dir },
    });
    expect(await node.exited).toBe(1);
    expect(written.join('')).toContain(`GOMAXPROCS=[${expectedSlots}] GOGC=[${expectedGogc}] PATH=[${process.env.PATH}]`);
  });
});

describe('cometExitHint', () => {
  it('explains a locked database and nothing else', () => {
    expect(cometExitHint(`I[...] starting\n${LOCKED}\n`, '/h')).toBe(
      'Another CometBFT holds the databases of /h: a node that was killed can leave its CometBFT running. ' +
        'Stop it (pgrep -af "cometbft node --home /h") and start again.',
    );
    expect(cometExitHint('ERROR: failed to create node: genesis.json: no such file', '/h')).toBeUndefined();
  });
});
