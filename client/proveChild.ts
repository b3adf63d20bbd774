/**
 * Proving a child chain's state on its parent, end to end, from a dApp: the parent's latest reported
 * header of the child names a state height H (its app hash commits to the child's state after block
 * H); the child answers the leaf at H with its Merkle proof; the proof is checked here against that
 * app hash, which the parent verified with the child's validator signatures, so neither node is
 * trusted; and the MsgProveValue that stores it on the parent is ready to sign.
 */
import type { EncodeObject } from '@cosmjs/proto-signing';
import type { CometClient } from '@cosmjs/tendermint-rpc';
import { fromHex } from '@cosmjs/encoding';
import { ainError, ErrInvalidRequest } from '../core/index.ts';
import type { JsonValue } from './messages.ts';
import { queryClientState } from './queryShards.ts';
import { queryProof, type StateQuerier } from './queryState.ts';
import { shardsMsg } from './shardsMessages.ts';
import { verifyStateProof } from './verifyStateProof.ts';

export interface ChildProof {
  readonly shard: string;
  readonly path: string;
  /** The child's state height the value is read at (the parent holds header height + 1). */
  readonly height: number;
  readonly value: JsonValue;
  readonly valueJson: string;
  readonly proof: Uint8Array;
  /** True: the proof verifies against the app hash the parent verified. */
  readonly verified: boolean;
  /** MsgProveValue for `signer`: stores the value on the parent. */
  message(signer: string): EncodeObject;
}

/**
 * Reads `path` on the child at the state height the parent can check, with its proof, and checks it.
 * @example
 * const proof = await proveChildValue({ parent, child, shard: 'chat', path: '/apps/chat/open' });
 * proof.verified; // true
 * await parentClient.signAndBroadcast([proof.message(parentClient.address!)]);
 */
export async function proveChildValue(params: {
  readonly parent: StateQuerier;
  readonly child: CometClient;
  readonly shard: string;
  readonly path: string;
}): Promise<ChildProof> {
  const client = await queryClientState(params.parent, params.shard);
  const latest = client.latest!;
  if (latest.height < 2n) throw ainError(ErrInvalidRequest, `the parent has no report of shard ${params.shard} above height 1 yet`);
  const height = Number(latest.height - 1n);
  const answer = await queryProof(params.child, { path: params.path, height });
  const verified = verifyStateProof({ appHash: fromHex(latest.appHash), path: params.path, value: answer.value, proof: answer.proof });
  return {
    shard: params.shard,
    path: params.path,
    height,
    value: answer.value,
    valueJson: answer.valueJson,
    proof: answer.proof,
    verified,
    message: (signer) =>
      shardsMsg.proveValue(signer, {
        shard: params.shard,
        height: BigInt(height),
        path: params.path,
        value: answer.valueJson,
        proof: answer.proof,
      }),
  };
}
