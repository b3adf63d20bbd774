/** The settings a node runs with, read back from the config files `aind init` writes. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_INDEX_EVENTS,
  defaultAppToml,
  parseApiLimits,
  parseIndexEvents,
  parseKeepRecent,
  parseMinRetainBlocks,
  parseSnapshotSettings,
  parseTcpAddress,
  readNodeSettings,
} from './nodeConfig.ts';
import { homePaths } from './paths.ts';

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'aind-node-config-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

describe('node settings', () => {
  it('reads [state] keep_recent from app.toml (what aind init writes), refusing nonsense', () => {
    expect(parseKeepRecent(defaultAppToml())).toBe(100);
    expect(parseKeepRecent('[state]\nkeep_recent = 0\n')).toBe(0);
    expect(parseKeepRecent('')).toBe(100);
    expect(() => parseKeepRecent('[state]\nkeep_recent = -2\n')).toThrow(/keep_recent/);
    expect(() => parseKeepRecent('[state]\nkeep_recent = "many"\n')).toThrow(/keep_recent/);
  });

  it('reads [state] min_retain_blocks (0, keep all blocks, as aind init writes it or when absent), refusing nonsense', () => {
    expect(parseMinRetainBlocks(defaultAppToml())).toBe(0);
    expect(parseMinRetainBlocks('')).toBe(0);
    expect(parseMinRetainBlocks('[state]\nmin_retain_blocks = 1000\n')).toBe(1000);
    expect(() => parseMinRetainBlocks('[state]\nmin_retain_blocks = -1\n')).toThrow(/min_retain_blocks/);
    expect(() => parseMinRetainBlocks('[state]\nmin_retain_blocks = 1.5\n')).toThrow(/min_retain_blocks/);
  });

  it('reads index-events: the default list aind init writes, [] or absent for all, refusing what is not a list of type.key or prefix*', () => {
    expect(parseIndexEvents(defaultAppToml())).toEqual(DEFAULT_INDEX_EVENTS);
    expect(DEFAULT_INDEX_EVENTS).toContain('transfer.recipient');
    expect(parseIndexEvents('')).toEqual([]);
    expect(parseIndexEvents('index-events = []\n[api]\n')).toEqual([]);
    expect(parseIndexEvents("index-events = ['ain.jobs.v1.EventJobRequested.job_id', 'ain.*'] # ours\n")).toEqual([
      'ain.jobs.v1.EventJobRequested.job_id',
      'ain.*',
    ]);
    expect(() => parseIndexEvents('index-events = "message.sender"\n')).toThrow(/index-events = message.sender is not a list/);
    expect(() => parseIndexEvents('index-events = ["sender"]\n')).toThrow(/index-events/);
    expect(() => parseIndexEvents('index-events = [1]\n')).toThrow(/index-events/);
    // a key under a section is not the top-level setting
    expect(parseIndexEvents('[api]\nindex-events = ["x.y"]\n')).toEqual([]);
  });

  it('splits tcp://HOST:PORT', () => {
    expect(parseTcpAddress('tcp://127.0.0.1:26658', 'x')).toEqual({ host: '127.0.0.1', port: 26658 });
    expect(parseTcpAddress('0.0.0.0:1317', 'x')).toEqual({ host: '0.0.0.0', port: 1317 });
    expect(() => parseTcpAddress('unix:///tmp/sock', 'config.toml proxy_app')).toThrow(/config.toml proxy_app "unix/);
  });

  it('reads the ABCI, REST and RPC addresses of a home, defaulting what is absent', () => {
    const paths = homePaths(home);
    expect(() => readNodeSettings(home)).toThrow(/config\.toml does not exist; run "aind init" first/);
    mkdirSync(paths.configDir, { recursive: true });
    writeFileSync(paths.configToml, 'proxy_app = "tcp://127.0.0.1:30008"\n[rpc]\nladdr = "tcp://0.0.0.0:30007"\n');
    expect(readNodeSettings(home)).toEqual({
      db: paths.applicationDb,
      keepRecent: 100,
      minRetainBlocks: 0,
      indexEvents: [],
      abci: { host: '127.0.0.1', port: 30008 },
      api: { host: '127.0.0.1', port: 1317, limits: {} },
      cometRpcUrl: 'http://127.0.0.1:30007',
      snapshots: { interval: 0, keepRecent: 2, chunkSize: 4 * 1024 * 1024 },
    });
    writeFileSync(
      paths.appToml,
      '[api]\nenable = false\naddress = "tcp://127.0.0.1:30009"\n[state]\nkeep_recent = 0\nmin_retain_blocks = 500\n',
    );
    expect(readNodeSettings(home)).toMatchObject({ api: undefined, keepRecent: 0, minRetainBlocks: 500 });
  });

  it('reads the REST flood limits of app.toml [api], refusing ones that are not positive integers', () => {
    expect(parseApiLimits(defaultAppToml())).toEqual({
      maxBodyBytes: 1_048_576,
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
      keepAliveTimeoutMs: 5_000,
      maxHeadersCount: 100,
      maxConnections: 1_000,
    });
    expect(parseApiLimits('[api]\nmax_connections = 20\n')).toEqual({ maxConnections: 20 });
    expect(() => parseApiLimits('[api]\nmax_body_bytes = -1\n')).toThrow(/app.toml \[api\] max_body_bytes = -1 is not a positive integer/);
    expect(() => parseApiLimits('[api]\nmax_body_bytes = "big"\n')).toThrow(/max_body_bytes = big is not a positive integer/);
  });

  it('reads app.toml [state-sync]: snapshots every 1,000 heights in a new home, none when absent, bad values refused', () => {
    expect(parseSnapshotSettings(defaultAppToml())).toEqual({ interval: 1000, keepRecent: 2, chunkSize: 4 * 1024 * 1024 });
    expect(parseSnapshotSettings('')).toEqual({ interval: 0, keepRecent: 2, chunkSize: 4 * 1024 * 1024 });
    expect(parseSnapshotSettings('[state-sync]\nsnapshot-interval = 10\nsnapshot-chunk-size = 2048\n')).toMatchObject({
      interval: 10,
      chunkSize: 2048,
    });
    expect(() => parseSnapshotSettings('[state-sync]\nsnapshot-keep-recent = 0\n')).toThrow(
      /\[state-sync\] snapshot-keep-recent = 0 is not an integer from 1/,
    );
    expect(() => parseSnapshotSettings('[state-sync]\nsnapshot-chunk-size = 99999999\n')).toThrow(/snapshot-chunk-size/);
  });
});
