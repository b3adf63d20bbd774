import { nodeRpc } from '../common/index.ts';

/**
 * `aind status`: CometBFT's /status result as the node sends it (node_info, sync_info, validator_info).
 * @example await nodeStatus('tcp://127.0.0.1:26657')
 */
export async function nodeStatus(node: string): Promise<unknown> {
  return nodeRpc(node, 'status');
}

/** A short text form of /status. */
export function formatStatus(status: unknown): string {
  const s = status as {
    node_info?: { network?: string; version?: string; moniker?: string; id?: string };
    sync_info?: { latest_block_height?: string; latest_block_time?: string; latest_app_hash?: string; catching_up?: boolean };
    validator_info?: { address?: string; voting_power?: string };
  };
  return [
    `network: ${s.node_info?.network ?? ''}`,
    `moniker: ${s.node_info?.moniker ?? ''}`,
    `node_id: ${s.node_info?.id ?? ''}`,
    `cometbft: ${s.node_info?.version ?? ''}`,
    `latest_block_height: ${s.sync_info?.latest_block_height ?? ''}`,
    `latest_block_time: ${s.sync_info?.latest_block_time ?? ''}`,
    `latest_app_hash: ${s.sync_info?.latest_app_hash ?? ''}`,
    `catching_up: ${String(s.sync_info?.catching_up ?? '')}`,
    `validator: ${s.validator_info?.address ?? ''} (power ${s.validator_info?.voting_power ?? '0'})`,
  ].join('\n');
}
