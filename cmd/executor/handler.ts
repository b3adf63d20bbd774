import { join } from 'node:path';
import { ainError, ErrInvalidRequest } from '../../core/index.ts';
import {
  EXECUTOR_CONFIG_FILE,
  JOB_ROLES,
  type JobRole,
  type JobRolesConfig,
  mergeRuntimeSpecs,
  parseRuntimeFlag,
  readExecutorConfig,
  type RunningExecutor,
  type RuntimeSpec,
  startExecutor,
} from '../../executor/index.ts';
import { RUNTIME_NAME_PATTERN } from '../../modules/state/index.ts';
import { getKey, type Keyring, keySigner } from '../../home/index.ts';
import { nodeHttpUrl } from '../common/index.ts';

export interface ExecutorFlags {
  readonly home: string;
  /** The keyring of `key`; the `test` backend when absent. */
  readonly keyring?: Keyring;
  readonly key: string;
  readonly node: string;
  readonly storage: string;
  /** Runtimes to run (default: python3, node and every declared one). */
  readonly runtimes?: readonly string[] | undefined;
  /** `--runtime NAME=PATH` (after HOME/executor.toml's, replacing one of the same name). */
  readonly runtime?: readonly RuntimeSpec[] | undefined;
  /** `--insecure-sandbox`: run without bwrap namespaces when the machine has none. */
  readonly insecureSandbox?: boolean | undefined;
  readonly price: string;
  readonly timeoutMs: number;
  readonly memoryMb: number;
  readonly fallbackMs: number;
  readonly concurrency?: number | undefined;
  /** `--jobs worker,evaluator`: the job market roles to take (none: functions only). */
  readonly jobs?: readonly JobRole[] | undefined;
  readonly jobIds?: readonly bigint[] | undefined;
  readonly workerCode?: ReadonlyMap<bigint, string> | undefined;
  readonly evaluatorCode?: ReadonlyMap<bigint, string> | undefined;
  /** `--http PORT`: serve HTTP-triggered functions on this port (0: a free one), paid by vouchers. */
  readonly http?: number | undefined;
  readonly httpHost?: string | undefined;
  /** `--redeem-interval-ms`: how often accepted vouchers are redeemed on chain. */
  readonly redeemIntervalMs?: number | undefined;
}

/** The file under HOME that keeps the executor's cursor (last processed height). */
export const CURSOR_FILE = 'executor-cursor.json';
/** The file under HOME that keeps the HTTP gateway's accepted vouchers until they are redeemed. */
export const VOUCHERS_FILE = 'executor-vouchers.json';
/** The file under HOME that keeps the job roles' commitments (salt, output) until they are revealed. */
export const JOB_SECRETS_FILE = 'executor-jobs.json';

/** Parses `--jobs worker,evaluator`. */
export function parseJobRoles(value: string): JobRole[] {
  const roles = value
    .split(',')
    .map((r) => r.trim())
    .filter((r) => r !== '');
  if (roles.length === 0) throw ainError(ErrInvalidRequest, '--jobs must name at least one role (worker, evaluator)');
  for (const role of roles) {
    if (!(JOB_ROLES as readonly string[]).includes(role))
      throw ainError(ErrInvalidRequest, `--jobs: unknown role "${role}" (${JOB_ROLES.join(', ')})`);
  }
  if (new Set(roles).size !== roles.length) throw ainError(ErrInvalidRequest, `--jobs "${value}" repeats a role`);
  return roles as JobRole[];
}

/** Parses `--job-ids 1,2`: positive job ids, at most 1000. */
export function parseJobIds(value: string): bigint[] {
  const ids = value.split(',').map((id) => id.trim());
  if (ids.length > 1000) throw ainError(ErrInvalidRequest, `--job-ids lists ${ids.length} jobs; at most 1000`);
  for (const id of ids) {
    if (!/^[1-9]\d{0,19}$/.test(id)) throw ainError(ErrInvalidRequest, `--job-ids: "${id}" is not a job id (a positive integer)`);
  }
  return [...new Set(ids)].map(BigInt);
}

/**
 * Collects a repeatable `--worker-code JOB_ID=HASH` / `--evaluator-code JOB_ID=HASH` into a map (one
 * hash per job).
 */
export function collectJobCode(flag: string): (value: string, previous: Map<bigint, string> | undefined) => Map<bigint, string> {
  return (value, previous) => {
    const match = /^([1-9]\d{0,19})=([0-9a-f]{64})$/.exec(value.trim());
    if (!match) throw ainError(ErrInvalidRequest, `${flag} "${value}" must be JOB_ID=HASH (a job id and 64 lowercase hex)`);
    const map = new Map(previous ?? []);
    const jobId = BigInt(match[1]!);
    if (map.has(jobId)) throw ainError(ErrInvalidRequest, `${flag} gives job ${jobId} twice`);
    map.set(jobId, match[2]!);
    return map;
  };
}

/** Parses `--runtimes node,python3,torch`: runtime names (each must be a default or declared one at start). */
export function parseRuntimes(value: string): string[] {
  const runtimes = value
    .split(',')
    .map((r) => r.trim())
    .filter((r) => r !== '');
  if (runtimes.length === 0) throw ainError(ErrInvalidRequest, '--runtimes must name at least one runtime (node, python3, ...)');
  for (const runtime of runtimes) {
    if (!RUNTIME_NAME_PATTERN.test(runtime))
      throw ainError(ErrInvalidRequest, `--runtimes: "${runtime}" is not a runtime name (lower-case letters, digits, "-", "_")`);
  }
  if (new Set(runtimes).size !== runtimes.length) throw ainError(ErrInvalidRequest, `--runtimes "${value}" repeats a runtime`);
  return runtimes;
}

/** Collects repeatable `--runtime NAME=PATH` flags. */
export function collectRuntime(value: string, previous: RuntimeSpec[] | undefined): RuntimeSpec[] {
  const spec = parseRuntimeFlag(value);
  if (previous?.some((p) => p.name === spec.name)) throw ainError(ErrInvalidRequest, `--runtime gives ${spec.name} twice`);
  return [...(previous ?? []), spec];
}

/** Parses `--price`: uain, a decimal integer. */
export function parsePrice(value: string): string {
  if (!/^(0|[1-9]\d{0,30})$/.test(value)) throw ainError(ErrInvalidRequest, `--price "${value}" must be a non-negative integer (uain)`);
  return value;
}

/** Parses a positive integer flag. */
/** Parses `--http PORT` (0 picks a free port). */
export function parsePort(value: string): number {
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65_535)
    throw ainError(ErrInvalidRequest, `--http "${value}" must be a port from 0 to 65535`);
  return Number(value);
}

export function parsePositive(name: string): (value: string) => number {
  return (value: string) => {
    if (!/^[1-9]\d{0,14}$/.test(value)) throw ainError(ErrInvalidRequest, `${name} "${value}" must be a positive integer`);
    return Number(value);
  };
}

/** Starts the executor daemon from CLI flags (logs go to stderr). */
export async function runExecutor(flags: ExecutorFlags): Promise<RunningExecutor> {
  const key = await keySigner(getKey(flags.home, flags.key, flags.keyring), flags.keyring);
  if (flags.http === undefined && (flags.httpHost !== undefined || flags.redeemIntervalMs !== undefined))
    throw ainError(ErrInvalidRequest, '--http-host and --redeem-interval-ms need --http PORT');
  if (!flags.jobs && (flags.jobIds || flags.workerCode || flags.evaluatorCode))
    throw ainError(ErrInvalidRequest, '--job-ids, --worker-code and --evaluator-code need --jobs worker,evaluator');
  const jobs: JobRolesConfig | undefined = flags.jobs && {
    roles: flags.jobs,
    jobIds: flags.jobIds,
    workerCode: flags.workerCode,
    evaluatorCode: flags.evaluatorCode,
    secretsFile: join(flags.home, JOB_SECRETS_FILE),
  };
  const declared = mergeRuntimeSpecs(readExecutorConfig(join(flags.home, EXECUTOR_CONFIG_FILE)).runtimes, flags.runtime ?? []);
  return startExecutor({
    rpcUrl: nodeHttpUrl(flags.node),
    storageUrl: flags.storage,
    key,
    ...(flags.runtimes ? { runtimes: flags.runtimes } : {}),
    declaredRuntimes: declared,
    insecureSandbox: flags.insecureSandbox === true,
    price: flags.price,
    cursorFile: join(flags.home, CURSOR_FILE),
    timeoutMs: flags.timeoutMs,
    defaultMemoryMb: flags.memoryMb,
    fallbackDelayMs: flags.fallbackMs,
    ...(flags.concurrency === undefined ? {} : { concurrency: flags.concurrency }),
    ...(jobs ? { jobs } : {}),
    ...(flags.http === undefined
      ? {}
      : {
          http: {
            port: flags.http,
            vouchersFile: join(flags.home, VOUCHERS_FILE),
            ...(flags.httpHost === undefined ? {} : { host: flags.httpHost }),
            ...(flags.redeemIntervalMs === undefined ? {} : { redeemIntervalMs: flags.redeemIntervalMs }),
          },
        }),
    log: (line) => process.stderr.write(`${new Date().toISOString()} ${line}\n`),
  });
}
