/**
 * The real servers behind Big Storage's S3 and IPFS backends, for end-to-end tests: SeaweedFS
 * (`weed server -s3`) and Kubo (`ipfs daemon --offline` on a repo made with `ipfs init --profile
 * test`), each built into `.bin/` by `ensureGoServer` on first use (minutes, with a message saying
 * so; CI builds them in setup), each the leader of its own process group so `stop` ends it whole.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePorts } from '../../localnet/index.ts';
import { ensureGoServer } from '../../scripts/setup.mjs';
import { until } from './poll.ts';

export interface RunningServer {
  /** The S3 endpoint, or Kubo's RPC API URL. */
  readonly url: string;
  readonly pid: number;
  /** Build time of its binary in this run (0 when it was already built). */
  readonly buildSeconds: number;
  stop(): Promise<void>;
}

function run(bin: string, args: readonly string[], env: NodeJS.ProcessEnv, logFile: string): ChildProcess {
  const child = spawn(bin, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-20_000);
    writeFileSync(logFile, log);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return child;
}

function stopper(child: ChildProcess): () => Promise<void> {
  return async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    process.kill(-child.pid!, 'SIGTERM');
    const timer = setTimeout(() => child.exitCode === null && process.kill(-child.pid!, 'SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
}

/**
 * Starts SeaweedFS (master, volume, filer and S3 gateway in one process) on free ports under `dir`;
 * no identities are configured, so the gateway accepts any credentials.
 * @example const s3 = await startSeaweedS3(dir); await openS3Backend({ endpoint: s3.url, bucket: 'ain', accessKeyId: 'x', secretAccessKey: 'x' });
 */
export async function startSeaweedS3(dir: string): Promise<RunningServer> {
  const { bin, seconds } = ensureGoServer('seaweedfs');
  mkdirSync(join(dir, 'data'), { recursive: true });
  // Each server also listens for gRPC, by default on its port + 10000, which may be taken: name free ones.
  const [master, volume, filer, s3, masterGrpc, volumeGrpc, filerGrpc, s3Grpc] = await freePorts(8, 55_000);
  const args = [
    'server',
    `-dir=${join(dir, 'data')}`,
    '-ip=127.0.0.1',
    '-ip.bind=127.0.0.1',
    `-master.port=${master}`,
    `-volume.port=${volume}`,
    `-filer.port=${filer}`,
    '-s3',
    `-s3.port=${s3}`,
    `-master.port.grpc=${masterGrpc}`,
    `-volume.port.grpc=${volumeGrpc}`,
    `-filer.port.grpc=${filerGrpc}`,
    `-s3.port.grpc=${s3Grpc}`,
    '-master.volumeSizeLimitMB=1024',
    '-volume.max=16',
  ];
  const child = run(bin, args, process.env, join(dir, 'weed.log'));
  const url = `http://127.0.0.1:${s3}`;
  const stop = stopper(child);
  try {
    await until(
      'SeaweedFS S3 to answer',
      async () => ((await fetch(url).catch(() => undefined))?.status === 200 ? true : undefined),
      60_000,
    );
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n${readFileSync(join(dir, 'weed.log'), 'utf8').slice(-3000)}`);
  }
  return { url, pid: child.pid!, buildSeconds: seconds, stop };
}

/**
 * Starts an offline Kubo node whose repo is `dir/repo` (made with the test profile), its RPC API on a
 * port it picks (read back from `repo/api`).
 * @example const ipfs = await startKubo(dir); ipfsBackend(ipfs.url);
 */
export async function startKubo(dir: string): Promise<RunningServer> {
  const { bin, seconds } = ensureGoServer('kubo');
  const env = { ...process.env, IPFS_PATH: join(dir, 'repo') };
  mkdirSync(dir, { recursive: true });
  if (!existsSync(join(dir, 'repo', 'config'))) {
    const init = spawnSync(bin, ['init', '--profile', 'test'], { env, encoding: 'utf8' });
    if (init.status !== 0) throw new Error(`ipfs init failed: ${init.stderr}`);
    spawnSync(bin, ['config', 'Addresses.API', '/ip4/127.0.0.1/tcp/0'], { env });
    spawnSync(bin, ['config', '--json', 'Addresses.Gateway', '[]'], { env });
  }
  const child = run(bin, ['daemon', '--offline'], env, join(dir, 'ipfs.log'));
  const stop = stopper(child);
  try {
    await until(
      'Kubo to be ready',
      async () => (readFileSync(join(dir, 'ipfs.log'), 'utf8').includes('Daemon is ready') ? true : undefined),
      60_000,
      {
        retryErrors: true,
      },
    );
  } catch (error) {
    await stop();
    throw error;
  }
  const api = readFileSync(join(dir, 'repo', 'api'), 'utf8').trim(); // /ip4/127.0.0.1/tcp/PORT
  const port = api.split('/').pop();
  return { url: `http://127.0.0.1:${port}`, pid: child.pid!, buildSeconds: seconds, stop };
}
