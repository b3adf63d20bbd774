/**
 * `aind shard init` and `aind shard relay`: a child node's home from its parent's registration, and
 * the relayer between a parent and a child, signing with a keyring key on both chains.
 */
import { ainError, ErrInvalidRequest } from '../../core/index.ts';
import { queryShard } from '../../client/index.ts';
import { getKey, type Keyring, keySigner, type ShardHomeResult, signerForKey, writeShardHome } from '../../home/index.ts';
import { checkShardName } from '../../modules/shards/index.ts';
import { startRelayer } from '../../relayer/index.ts';
import { nodeHttpUrl, stopSignal, withCometClient } from '../common/index.ts';

/** `/apps/<name>` -> `<name>`. */
export function shardNameOfPath(path: string): string {
  const match = /^\/apps\/([^/]+)$/.exec(path);
  if (!match) throw ainError(ErrInvalidRequest, `--path "${path}" must be /apps/<name>, the path the shard was branched at`);
  checkShardName(match[1]!, '--path', false);
  return match[1]!;
}

/** Writes the child's home from the registration of `--path` on `--parent`. */
export async function shardInit(options: {
  home: string;
  parent: string;
  path: string;
  moniker?: string | undefined;
}): Promise<ShardHomeResult> {
  const name = shardNameOfPath(options.path);
  const { shard } = await withCometClient(options.parent, (comet) => queryShard(comet, name));
  return writeShardHome(options.home, shard, options.moniker);
}

/** Runs the relayer until SIGINT or SIGTERM. */
export async function shardRelay(options: {
  home: string;
  keyring?: Keyring;
  parent: string;
  child: string;
  key: string;
  intervalMs: number;
  gasPrices?: string | undefined;
}): Promise<void> {
  const signer = await signerForKey(await keySigner(getKey(options.home, options.key, options.keyring), options.keyring));
  const relayer = await startRelayer({
    parentUrl: nodeHttpUrl(options.parent),
    childUrl: nodeHttpUrl(options.child),
    signer,
    intervalMs: options.intervalMs,
    ...(options.gasPrices === undefined ? {} : { gasPrice: options.gasPrices }),
    log: (line) => console.log(`${new Date().toISOString()} ${line}`),
  });
  await stopSignal();
  await relayer.stop();
}
