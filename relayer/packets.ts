/**
 * Carrying packets between the two chains: for every packet a source has not settled, deliver it
 * (the source's commitment proven at a state height the destination holds a header for), or, once
 * the destination received it, acknowledge it (the receipt proven back), or, once the destination is
 * past its timeout without receiving it, time it out (the receipt's absence proven). Each step reads
 * only chain state, so a restarted relayer, or a second one, picks up where anyone left off.
 */
import { AinError } from '../core/index.ts';
import { queryClientState, queryPackets, queryProof, queryReceipt, shardsMsg } from '../client/index.ts';
import { packetPath, receiptPath, SHARDS, shardsErrors } from '../modules/shards/index.ts';
import type { ChainEnd } from './ends.ts';
import { latestHeight } from './headers.ts';

export interface PacketStep {
  readonly kind: 'delivered' | 'acknowledged' | 'timed-out';
  readonly from: string;
  readonly sequence: bigint;
}

/** Someone else did it already: not an error for a relayer. */
function taken(error: unknown): boolean {
  if (!(error instanceof AinError) || error.codespace !== SHARDS) return false;
  return [shardsErrors.ErrPacketReceived.code, shardsErrors.ErrPacketNotFound.code].includes(error.code);
}

/** One pass over the packets `source` sent to `destination`. */
export async function relayPackets(source: ChainEnd, destination: ChainEnd): Promise<PacketStep[]> {
  const packets = await queryPackets(source.client.cometClient, source.link);
  if (packets.length === 0) return [];
  // What each side holds of the other: a proof at state height H needs the header H + 1 reported.
  const destinationKnows = (await queryClientState(destination.client.cometClient, destination.link)).latest!.height;
  const sourceKnows = (await queryClientState(source.client.cometClient, source.link)).latest!.height;
  const destinationHeight = await latestHeight(destination);
  const steps: PacketStep[] = [];
  for (const packet of packets) {
    const seq = packet.sequence;
    try {
      if (await queryReceipt(destination.client.cometClient, destination.link, seq)) {
        if (sourceKnows < 2n) continue;
        const proof = await queryProof(destination.client.cometClient, {
          path: receiptPath(destination.root, seq),
          height: Number(sourceKnows - 1n),
        });
        if (proof.value !== true) continue; // received after that height: next round
        await source.client.signAndBroadcast([
          shardsMsg.acknowledge(source.client.address!, {
            shard: source.link,
            sequence: seq,
            proofHeight: sourceKnows - 1n,
            proof: proof.proof,
          }),
        ]);
        steps.push({ kind: 'acknowledged', from: source.chainId, sequence: seq });
      } else if (sourceKnows >= packet.timeoutHeight) {
        const proof = await queryProof(destination.client.cometClient, {
          path: receiptPath(destination.root, seq),
          height: Number(sourceKnows - 1n),
        });
        if (proof.value !== null) continue;
        await source.client.signAndBroadcast([
          shardsMsg.timeout(source.client.address!, {
            shard: source.link,
            sequence: seq,
            proofHeight: sourceKnows - 1n,
            proof: proof.proof,
          }),
        ]);
        steps.push({ kind: 'timed-out', from: source.chainId, sequence: seq });
      } else if (destinationHeight + 1n < packet.timeoutHeight && destinationKnows >= 2n) {
        const proof = await queryProof(source.client.cometClient, {
          path: packetPath(source.root, seq),
          height: Number(destinationKnows - 1n),
        });
        if (proof.value === null) continue; // sent after that height: next round
        await destination.client.signAndBroadcast([
          shardsMsg.recvPacket(destination.client.address!, {
            shard: destination.link,
            packet,
            proofHeight: destinationKnows - 1n,
            proof: proof.proof,
          }),
        ]);
        steps.push({ kind: 'delivered', from: source.chainId, sequence: seq });
      }
    } catch (error) {
      if (!taken(error)) throw error;
    }
  }
  return steps;
}
