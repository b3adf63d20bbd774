/**
 * Exported genesis files holding the shards and channels modules mid-flight, for the genesis tests:
 * a parent (`shardsPair.fixture.ts`) with its child link (registration, reported headers and
 * validator sets, a proven value, the escrow, a packet in flight, one acknowledged, a receipt of the
 * child's, reports) and the channels module (an open channel partly redeemed, a closed one, contracts
 * proposed, active with claims standing and disputed, and settled); and the child with its parent
 * link (the parent's record and headers, a receipt, a packet of vouchers in flight).
 */
import { createHash } from 'node:crypto';
import { RequestInfo } from 'cosmjs-types/tendermint/abci/types';
import { signContractReceipt, signContractRequest, signVoucher } from '../../modules/channels/index.ts';
import { childRoot, PARENT_ROOT, packetPath, receiptPath } from '../../modules/shards/index.ts';
import {
  MsgAcceptContract,
  MsgClaimMisses,
  MsgCloseChannel,
  MsgDisputeMisses,
  MsgOpenChannel,
  MsgProposeContract,
  MsgRedeem,
  MsgSettleContract,
} from '../../proto/gen/ain/channels/v1/tx.ts';
import { MsgAcknowledge, MsgProveValue, MsgRecvPacket, MsgTransfer } from '../../proto/gen/ain/shards/v1/tx.ts';
import { MsgSetValue } from '../../proto/gen/ain/state/v1/tx.ts';
import { Packet } from '../../proto/gen/ain/shards/v1/types.ts';
import type { ExportedChain } from './genesisMutation.fixture.ts';
import type { Chain } from './shardsHarness.fixture.ts';
import { any, keys, SHARD, startPair } from './shardsPair.fixture.ts';

const { alice, bob, carl, relayer } = keys;

function ok(result: { code: number; log: string }, what: string): void {
  if (result.code !== 0) throw new Error(`${what} refused: ${result.log}`);
}

function exported(chain: Chain): ExportedChain {
  const height = chain.app.info(RequestInfo.fromPartial({})).lastBlockHeight;
  return { chainId: chain.chainId, seconds: chain.time(), height, appState: JSON.parse(JSON.stringify(chain.app.exportGenesis())) };
}

const packetOf = (chain: Chain, root: string, sequence: bigint): Packet =>
  Packet.fromJSON(JSON.parse(chain.get(packetPath(root, sequence)) as string));

/** Channels and service contracts on `chain`, in every state a record can be in. */
function channelsMidFlight(chain: Chain): void {
  const open = (durationSeconds: bigint) =>
    ok(
      chain.send(carl, [
        any(MsgOpenChannel, { signer: carl.address, executor: bob.address, deposit: '1000', durationSeconds, payerPubkey: carl.pubkey }),
      ]),
      'open channel',
    );
  open(5n);
  open(86_400n);
  const voucher = (channelId: bigint, amount: bigint, nonce: bigint) => ({
    channelId,
    amount: amount.toString(),
    nonce,
    signature: signVoucher(carl.privkey, { chainId: chain.chainId, channelId, amount, nonce }),
  });
  ok(chain.send(bob, [any(MsgRedeem, { signer: bob.address, vouchers: [voucher(1n, 100n, 1n), voucher(2n, 300n, 3n)] })]), 'redeem');
  ok(chain.send(carl, [any(MsgCloseChannel, { signer: carl.address, channelId: 1n })], 10n), 'close channel');

  const propose = (durationSeconds: bigint) =>
    ok(
      chain.send(carl, [
        any(MsgProposeContract, {
          signer: carl.address,
          clientPubkey: carl.pubkey,
          executor: bob.address,
          requestsPerSecond: 10,
          gpus: 1,
          price: '6000',
          deposit: '1000',
          penaltyPerMiss: '300',
          durationSeconds,
          disputeSeconds: 30n,
        }),
      ]),
      'propose contract',
    );
  const accept = (contractId: bigint) =>
    ok(chain.send(bob, [any(MsgAcceptContract, { signer: bob.address, contractId, executorPubkey: bob.pubkey })]), 'accept contract');
  const terms = (contractId: bigint, seq: bigint, deadline: bigint) => ({
    chainId: chain.chainId,
    contractId,
    seq,
    deadline,
    bodyHash: new Uint8Array(createHash('sha256').update(`call ${seq}`).digest()),
  });
  const claim = (contractId: bigint, seqs: bigint[], deadline: bigint) =>
    ok(
      chain.send(carl, [
        any(MsgClaimMisses, {
          signer: carl.address,
          contractId,
          requests: seqs.map((seq) => ({
            seq,
            deadline,
            bodyHash: terms(contractId, seq, deadline).bodyHash,
            signature: signContractRequest(carl.privkey, terms(contractId, seq, deadline)),
          })),
        }),
      ]),
      'claim misses',
    );
  const dispute = (contractId: bigint, seq: bigint, deadline: bigint) =>
    ok(
      chain.send(bob, [
        any(MsgDisputeMisses, {
          signer: bob.address,
          contractId,
          receipts: [
            { seq, answeredAt: deadline, signature: signContractReceipt(bob.privkey, terms(contractId, seq, deadline), deadline) },
          ],
        }),
      ]),
      'dispute miss',
    );
  // 1: settled after a standing miss; 2: active with claims; 3: proposed.
  propose(20n);
  accept(1n);
  const start1 = chain.time();
  chain.block([], 2n);
  claim(1n, [1n, 2n], start1 + 1n);
  dispute(1n, 1n, start1 + 1n);
  propose(86_400n);
  accept(2n);
  const start2 = chain.time();
  chain.block([], 5n);
  claim(2n, [1n, 2n], start2 + 2n);
  dispute(2n, 2n, start2 + 2n);
  ok(chain.send(bob, [any(MsgSettleContract, { signer: bob.address, contractId: 1n })], 100n), 'settle contract');
  propose(600n);
}

/** The parent's and the child's exports (in that order). */
export async function exportShardsChains(): Promise<ExportedChain[]> {
  const pair = startPair();
  try {
    const { parent, child } = pair;
    const transfer = (chain: Chain, shard: string, receiver: string, amount: string) =>
      ok(
        chain.send(chain === parent ? bob : carl, [
          any(MsgTransfer, { signer: (chain === parent ? bob : carl).address, shard, receiver, amount, timeoutHeight: 10_000n }),
        ]),
        'transfer',
      );
    const recv = (from: Chain, to: Chain, root: string, shard: string, sequence: bigint) => {
      const packet = packetOf(from, root, sequence);
      const at = from.height();
      from.block([]);
      ok(to === child ? pair.reportParent(at + 1n) : pair.reportChild(at + 1n), 'report');
      const proof = from.prove(packetPath(root, sequence), at).proof;
      ok(to.send(relayer, [any(MsgRecvPacket, { signer: relayer.address, shard, packet, proofHeight: at, proof })]), 'receive packet');
    };
    // Parent -> child 5000, received and acknowledged.
    transfer(parent, SHARD, carl.address, '5000');
    recv(parent, child, childRoot(SHARD), 'parent', 1n);
    const received = child.height();
    child.block([]);
    ok(pair.reportChild(received + 1n), 'report');
    const ackProof = child.prove(receiptPath(PARENT_ROOT, 1n), received).proof;
    ok(
      parent.send(relayer, [
        any(MsgAcknowledge, { signer: relayer.address, shard: SHARD, sequence: 1n, proofHeight: received, proof: ackProof }),
      ]),
      'acknowledge',
    );
    // Child -> parent 2000, received on the parent, not acknowledged on the child.
    transfer(child, 'parent', bob.address, '2000');
    recv(child, parent, PARENT_ROOT, SHARD, 1n);
    // Both ways one more in flight: 700 down, 300 up.
    transfer(parent, SHARD, carl.address, '700');
    transfer(child, 'parent', bob.address, '300');
    // A proven child value.
    ok(child.send(alice, [any(MsgSetValue, { signer: alice.address, path: '/apps/chat/open', value: 'true' })]), 'set value');
    const written = child.height();
    child.block([]);
    ok(pair.reportChild(written + 1n), 'report');
    const leaf = child.prove('/apps/chat/open', written);
    ok(
      parent.send(relayer, [
        any(MsgProveValue, {
          signer: relayer.address,
          shard: SHARD,
          height: written,
          path: '/apps/chat/open',
          value: leaf.value,
          proof: leaf.proof,
        }),
      ]),
      'prove value',
    );
    const parentHeight = parent.height();
    parent.block([]);
    ok(pair.reportParent(parentHeight + 1n), 'report');
    channelsMidFlight(parent);
    return [exported(parent), exported(child)];
  } finally {
    await pair.close();
  }
}
