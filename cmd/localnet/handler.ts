import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { ainError, ErrConflict, ErrInvalidRequest } from '../../core/index.ts';
import {
  addShards,
  checkShardCount,
  checkValidatorCount,
  createLocalnet,
  EXECUTOR_KEY,
  FAUCET_KEY,
  hasLocalnet,
  type LocalnetManifest,
  listedProcesses,
  nodeHeight,
  nodeView,
  type ProcessState,
  readManifest,
  readShards,
  removeLocalnet,
  type ShardStatus,
  shardStatuses,
  startLocalnet,
  stopListedProcesses,
  storageUrl,
  terminateStartedGroups,
} from '../../localnet/index.ts';

/** Default localnet folder of the CLI. */
export const DEFAULT_LOCALNET_DIR = join(homedir(), '.aind-localnet');

/** Flags of `aind localnet init` and `start` that shape a new localnet. */
export interface LocalnetCreateFlags {
  readonly dir: string;
  readonly validators?: number;
  readonly chainId?: string;
  /** 0: free ports picked at creation. */
  readonly basePort: number;
  readonly timeoutCommit?: string;
  readonly docker?: boolean;
  readonly reset?: boolean;
  /** Child chains, each with its relayer (`--shards N`). */
  readonly shards?: number;
}

/** Parses `--shards`. */
export function parseShards(value: string): number {
  if (!/^\d{1,2}$/.test(value)) throw ainError(ErrInvalidRequest, `--shards "${value}" must be a small integer`);
  const count = Number(value);
  checkShardCount(count);
  return count;
}

/** Parses `--validators`. */
export function parseValidators(value: string): number {
  if (!/^\d{1,3}$/.test(value)) throw ainError(ErrInvalidRequest, `--validators "${value}" must be an integer from 1 to 16`);
  const count = Number(value);
  checkValidatorCount(count);
  return count;
}

/** Parses `--base-port` (0: free ports). */
export function parseBasePort(value: string): number {
  if (!/^\d{1,5}$/.test(value)) throw ainError(ErrInvalidRequest, `--base-port "${value}" must be 0 (free ports) or a port number`);
  return Number(value);
}

/**
 * Makes sure DIR holds a localnet of the requested shape: creates it when absent (or with --reset),
 * keeps an existing one that matches, refuses one that does not. Returns the manifest and whether
 * this call created it.
 */
export async function ensureLocalnet(flags: LocalnetCreateFlags): Promise<{ manifest: LocalnetManifest; created: boolean }> {
  const result = await ensureParent(flags);
  if (flags.shards !== undefined && flags.shards > 0) {
    if (result.manifest.docker) throw ainError(ErrInvalidRequest, '--shards runs on loopback ports; it does not go with --docker');
    await addShards(resolve(flags.dir), flags.shards, result.manifest.chainId, result.manifest.basePort);
  }
  return result;
}

async function ensureParent(flags: LocalnetCreateFlags): Promise<{ manifest: LocalnetManifest; created: boolean }> {
  const dir = resolve(flags.dir);
  if (flags.reset) removeLocalnet(dir);
  if (hasLocalnet(dir)) {
    const manifest = readManifest(dir);
    const validators = manifest.nodes.filter((n) => n.validator).length;
    if (flags.validators !== undefined && flags.validators !== validators) {
      throw ainError(
        ErrConflict,
        `${dir} holds a localnet of ${validators} validators, not ${flags.validators}; pass --reset to replace it`,
      );
    }
    if ((flags.docker === true) !== manifest.docker) {
      throw ainError(ErrConflict, `${dir} holds a localnet ${manifest.docker ? 'for docker' : 'for loopback'}; pass --reset to replace it`);
    }
    return { manifest, created: false };
  }
  const manifest = await createLocalnet({
    dir,
    ...(flags.validators === undefined ? {} : { validators: flags.validators }),
    ...(flags.chainId === undefined ? {} : { chainId: flags.chainId }),
    ...(flags.basePort === 0 || flags.docker ? {} : { basePort: flags.basePort }),
    ...(flags.timeoutCommit === undefined ? {} : { timeoutCommit: flags.timeoutCommit }),
    docker: flags.docker === true,
  });
  return { manifest, created: true };
}

/**
 * `aind localnet start`: creates the localnet when needed, starts it, prints where everything
 * listens; then (unless `detach`) runs until SIGINT/SIGTERM and stops everything.
 */
export async function runLocalnetStart(
  flags: LocalnetCreateFlags & { readonly detach?: boolean; readonly insecureSandbox?: boolean },
): Promise<void> {
  const dir = resolve(flags.dir);
  const { created } = await ensureLocalnet(flags);
  const log = (line: string) => process.stderr.write(`localnet: ${line}\n`);
  log(`${created ? 'created' : 'resuming'} the localnet in ${dir}`);
  // Listen before starting: Ctrl-C during start-up must not leave the (detached) groups behind.
  let starting = true;
  const signalled = new Promise<string>((done) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        if (!starting) return done(signal);
        log(`${signal} during start-up: terminating what was started`);
        terminateStartedGroups();
        process.exit(130);
      });
    }
  });
  const net = await startLocalnet({
    dir,
    detach: flags.detach === true,
    insecureSandbox: flags.insecureSandbox === true,
    ...(flags.detach ? {} : { supervisor: process.pid }),
    log,
  });
  starting = false;
  process.stdout.write(`${formatLocalnet(dir, net.manifest)}\n`);
  if (flags.detach) {
    process.stdout.write(`running in the background; aind localnet status|stop --dir ${dir}\n`);
    return;
  }
  process.stdout.write('Ctrl-C stops every process of the localnet.\n');
  const signal = await signalled;
  log(`${signal}: stopping`);
  await net.stop();
  log('stopped; nothing of the localnet is running');
}

/** `aind localnet stop`: stops every process of DIR's pid file; returns their names. */
export async function runLocalnetStop(dir: string): Promise<string[]> {
  return stopListedProcesses(resolve(dir));
}

/** What `aind localnet status` reports. */
export interface LocalnetStatus {
  readonly dir: string;
  readonly chainId: string;
  readonly supervisor?: { pid: number; running: boolean };
  readonly nodes: {
    readonly name: string;
    readonly validator: boolean;
    readonly rpc: string;
    readonly height: number | null;
    readonly app: ProcessState | null;
    readonly comet: ProcessState | null;
  }[];
  readonly processes: ProcessState[];
  /** Child chains (`--shards`): each one's height and the heights each side last reported of the other. */
  readonly shards: ShardStatus[];
}

/** `aind localnet status`: each listed process (running or not) and each node's height. */
export async function localnetStatus(dir: string): Promise<LocalnetStatus> {
  const root = resolve(dir);
  const manifest = readManifest(root);
  const listed = listedProcesses(root);
  const nodes = await Promise.all(
    manifest.nodes.map(async (n) => {
      const view = nodeView(root, n);
      const find = (which: string) => listed.processes.find((p) => p.name === `${n.name}/${which}`) ?? null;
      return {
        name: n.name,
        validator: n.validator,
        rpc: view.rpcUrl,
        height: manifest.docker ? null : ((await nodeHeight(view.rpcUrl)) ?? null),
        app: find('app'),
        comet: find('comet'),
      };
    }),
  );
  return {
    dir: root,
    chainId: manifest.chainId,
    ...(listed.supervisor ? { supervisor: listed.supervisor } : {}),
    nodes,
    processes: listed.processes,
    shards: manifest.docker ? [] : await shardStatuses(root, nodeView(root, manifest.nodes[0]!).rpcUrl),
  };
}

/** The status as text: one line per node and per other process. */
export function formatStatus(status: LocalnetStatus): string {
  const proc = (p: ProcessState | null) => (p === null ? 'not started' : `${p.running ? 'running' : 'stopped'} (pid ${p.pid})`);
  const rows: string[][] = [['process', 'role', 'RPC', 'height', 'app', 'cometbft']];
  for (const n of status.nodes) {
    rows.push([
      n.name,
      n.validator ? 'validator' : 'full node',
      n.rpc,
      n.height === null ? '-' : String(n.height),
      proc(n.app),
      proc(n.comet),
    ]);
  }
  for (const p of status.processes.filter((p) => !p.name.includes('/'))) rows.push([p.name, '', '', '', proc(p), '']);
  const lines = [`localnet ${status.dir} (chain ${status.chainId})`, ...table(rows)];
  if (status.shards.length > 0) {
    const text = (n: number | null) => (n === null ? '-' : String(n));
    const find = (name: string) => status.processes.find((p) => p.name === name) ?? null;
    const shardRows = [['shard', 'chain', 'RPC', 'height', 'reported on parent', 'parent reported here', 'relayer']];
    for (const s of status.shards) {
      shardRows.push([
        s.name,
        s.chainId,
        s.rpc,
        text(s.height),
        text(s.reportedOnParent),
        text(s.parentReportedHere),
        proc(find(`${s.name}/relayer`)),
      ]);
    }
    lines.push(...table(shardRows));
  }
  if (status.supervisor) lines.push(`supervisor (aind localnet start): ${proc({ name: '', log: '', ...status.supervisor })}`);
  if (status.processes.length === 0) lines.push('no process is recorded as running (aind localnet start to run it)');
  return lines.join('\n');
}

/** Where each node and service of a localnet listens, as a table. */
export function formatLocalnet(dir: string, manifest: LocalnetManifest): string {
  const rows: string[][] = [['node', 'role', 'RPC (CosmJS, /websocket)', 'REST', 'ABCI', 'P2P']];
  for (const n of manifest.nodes) {
    const view = nodeView(dir, n);
    rows.push([n.name, n.validator ? 'validator' : 'full node', view.rpcUrl, view.apiUrl, view.abciAddress, view.p2pAddress]);
  }
  return [
    `AIN localnet in ${dir}: chain ${manifest.chainId}, ${manifest.nodes.filter((n) => n.validator).length} validators, timeout_commit ${manifest.timeoutCommit}`,
    ...table(rows),
    `storage   ${storageUrl(manifest)}  (blobs in ${join(dir, 'storage')})`,
    `executor  ${manifest.executor.address}  (key "${EXECUTOR_KEY}" in ${dir}, talks to ${manifest.executor.node} and storage)`,
    `faucet    ${manifest.faucet.address}  (key "${FAUCET_KEY}": aind tx bank send ${FAUCET_KEY} ADDRESS 1000000uain --home ${dir} --chain-id ${manifest.chainId} --node ${nodeView(dir, manifest.nodes[0]!).rpcUrl})`,
    `logs      ${dir}/<node>/app.log, comet.log; ${dir}/storage.log, executor.log`,
    ...(readShards(dir)?.shards ?? []).map(
      (shard) =>
        `shard     ${shard.name}: chain ${shard.chainId}, RPC ${nodeView(dir, shard.node).rpcUrl}, home ${join(resolve(dir), shard.node.name)}, relayer key "${shard.relayerKey}"`,
    ),
  ].join('\n');
}

/** Left-aligned columns separated by two spaces. */
function table(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) =>
    r
      .map((cell, c) => cell.padEnd(widths[c]!))
      .join('  ')
      .trimEnd(),
  );
}
