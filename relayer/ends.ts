/**
 * The two ends a relayer connects: a parent and one of its children, each with its CometBFT RPC (for
 * headers and validator sets) and a signing client (for reports, packets and proofs). The child's
 * own record of its parent names the shard, so `--parent URL --child URL` is all a relayer needs.
 */
import type { OfflineSigner } from '@cosmjs/proto-signing';
import { ainError, ErrInvalidRequest } from '../core/index.ts';
import type { CometCall } from '../core/index.ts';
import { type AinClient, cometRpcClient, connectAin, queryParent } from '../client/index.ts';
import { childRoot, PARENT_LINK, PARENT_ROOT } from '../modules/shards/index.ts';

export interface ChainEnd {
  readonly role: 'parent' | 'child';
  readonly chainId: string;
  readonly rpcUrl: string;
  readonly rpc: CometCall;
  readonly client: AinClient;
  /** The link's name on this chain: the child's shard name on the parent, `parent` on the child. */
  readonly link: string;
  /** This chain's subtree of the link (where its packets and receipts are). */
  readonly root: string;
}

export interface Ends {
  readonly parent: ChainEnd;
  readonly child: ChainEnd;
  readonly shard: string;
  close(): void;
}

/** Connects both chains with one signer (the same key signs on both; it needs fees on both). */
export async function connectEnds(options: {
  parentUrl: string;
  childUrl: string;
  signer: OfflineSigner;
  gasPrice?: string;
}): Promise<Ends> {
  const child = await connectAin({
    rpcUrl: options.childUrl,
    signer: options.signer,
    gasPrice: options.gasPrice,
    broadcastPollIntervalMs: 200,
  });
  let parent: AinClient | undefined;
  try {
    const { parent: record } = await queryParent(child.cometClient);
    parent = await connectAin({
      rpcUrl: options.parentUrl,
      signer: options.signer,
      gasPrice: options.gasPrice,
      broadcastPollIntervalMs: 200,
    });
    if (parent.chainId !== record.chainId) {
      throw ainError(
        ErrInvalidRequest,
        `${options.childUrl} is a child of ${record.chainId}, but ${options.parentUrl} runs ${parent.chainId}`,
      );
    }
    const shard = record.name;
    const parentClient = parent;
    return {
      shard,
      parent: {
        role: 'parent',
        chainId: parent.chainId,
        rpcUrl: options.parentUrl,
        rpc: cometRpcClient(options.parentUrl, 15_000),
        client: parent,
        link: shard,
        root: childRoot(shard),
      },
      child: {
        role: 'child',
        chainId: child.chainId,
        rpcUrl: options.childUrl,
        rpc: cometRpcClient(options.childUrl, 15_000),
        client: child,
        link: PARENT_LINK,
        root: PARENT_ROOT,
      },
      close() {
        parentClient.disconnect();
        child.disconnect();
      },
    };
  } catch (error) {
    parent?.disconnect();
    child.disconnect();
    throw error;
  }
}
