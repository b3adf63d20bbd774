/**
 * A child chain node's home from its parent's registration (`aind shard init`): the genesis the
 * registration determines (`app/shardGenesis.ts`), refused unless its hash is the one the branch
 * recorded, and config.toml's block time set to the child's consensus rules. An existing home keeps
 * its keys, so a validator that gave its consensus key for the branch starts signing at once.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { ainError, ErrInvalidRequest } from '../core/index.ts';
import { childGenesisDoc, genesisHash } from '../app/index.ts';
import type { Shard } from '../proto/gen/ain/shards/v1/types.ts';
import { writeGenesis } from './genesisFile.ts';
import { initHome } from './init.ts';
import { homePaths } from './paths.ts';
import { setTomlValues } from './toml.ts';

export interface ShardHomeResult {
  readonly home: string;
  readonly chain_id: string;
  readonly genesis_hash: string;
  /** Whether the home's consensus key is one of the child's registered validators. */
  readonly validator: boolean;
}

/**
 * Writes the child's genesis and block time into `home` (made with `aind init`'s code when it has no
 * config yet). Throws `sdk/18` when the registration's genesis hash is not the hash of that genesis.
 * @example writeShardHome('/tmp/chat0', shard, 'chat-node0')
 */
export function writeShardHome(home: string, shard: Shard, moniker?: string): ShardHomeResult {
  const doc = childGenesisDoc(shard);
  const hash = genesisHash(doc);
  if (hash !== shard.genesisHash) {
    throw ainError(
      ErrInvalidRequest,
      `the genesis built from shard ${shard.name}'s registration hashes to ${hash}, not the registered ${shard.genesisHash}; was it branched by another version of aind?`,
    );
  }
  const paths = homePaths(home);
  if (!existsSync(paths.configToml)) initHome({ home, chainId: shard.chainId, ...(moniker === undefined ? {} : { moniker }) });
  writeGenesis(home, doc as never);
  const blockTime = `${shard.consensus!.blockTimeMs}ms`;
  writeFileSync(paths.configToml, setTomlValues(readFileSync(paths.configToml, 'utf8'), { consensus: { timeout_commit: blockTime } }));
  const key = JSON.parse(readFileSync(paths.privValidatorKey, 'utf8')) as { pub_key: { value: string } };
  const validator = shard.validators.some((v) => Buffer.from(v.pubKey).toString('base64') === key.pub_key.value);
  return { home, chain_id: shard.chainId, genesis_hash: hash, validator };
}
