/**
 * Moving each chain's own tokens between a parent and its children, both ways, with proofs instead of
 * trust in a relayer (which way each denom goes and the per-link escrows: `denoms.ts`). A chain
 * escrows its own denoms in the module account `shards` (per link and denom under `R/escrow`,
 * `R/escrows/<denom>`); the other chain mints them as `shard/<sender chain id>/<denom>`. Vouchers sent
 * back are burned and released from escrow at home. Each side commits a packet per transfer
 * (`R/out/packets/<seq>`); the destination proves the commitment against the source's reported
 * header and writes a receipt (`R/in/receipts/<seq>`), so a replayed proof is refused; the source
 * proves the receipt to forget the packet (the acknowledgement) or, past the timeout height, proves
 * its absence (the tree proves absence) to refund the sender.
 */
import { ainError, type Context, moduleAddress, type ReadableState } from '../../core/index.ts';
import type { MsgAcknowledge, MsgRecvPacket, MsgTimeout, MsgTransfer } from '../../proto/gen/ain/shards/v1/tx.ts';
import { Packet } from '../../proto/gen/ain/shards/v1/types.ts';
import { addEscrow, arrivalOf, sendingRule, sharedChainId, takeEscrow, transferDenom } from './denoms.ts';
import {
  ErrDenomNotTransferable,
  ErrFrozen,
  ErrInvalidPacket,
  ErrInvalidShardsMsg,
  ErrNotTimedOut,
  ErrPacketNotFound,
  ErrPacketReceived,
  ErrPacketTimedOut,
} from './errors.ts';
import { packetAcknowledgedEvent, packetReceivedEvent, packetSentEvent, packetTimedOutEvent } from './events.ts';
import type { BankKeeper } from './expected_keepers.ts';
import { nextSequencePath, packetPath, receiptPath, voucherPrefix } from './keys.ts';
import { ErrTrustingPeriodExpired } from './lightclient/index.ts';
import { PROOF_GAS_PER_BYTE, verifyOtherState } from './proofs.ts';
import { isFrozen, type Link, packetCommitment, readClient, readMessage, requireLink, SHARDS_MODULE } from './records.ts';

const MODULE_ADDRESS = moduleAddress(SHARDS_MODULE);

const readAmount = (state: ReadableState, path: string): bigint => {
  const value = state.get(path);
  return typeof value === 'string' ? BigInt(value) : 0n;
};

function requireOpen(state: ReadableState, link: Link): void {
  if (isFrozen(state, link)) throw ainError(ErrFrozen, `shard ${link.name} is frozen; its admin must unfreeze it`, { shard: link.name });
}

/** Takes `amount` of `denom` from `from`: into the link's escrow for a denom of this chain, burned for the other chain's voucher. */
function lock(ctx: Context, bank: BankKeeper, link: Link, from: string, denom: string, amount: bigint): void {
  const rule = sendingRule(ctx.chainId, link, denom);
  const shared = rule === 'burn' ? sharedChainId(ctx.state, link) : [];
  if (shared.length > 0) {
    throw ainError(
      ErrDenomNotTransferable,
      `denom: ${denom} cannot cross the link ${link.name}: the link(s) ${shared.join(', ')} follow ${link.chainId} too, so a voucher of ${link.chainId} cannot tell which link it came over`,
      { field: 'denom', denom },
    );
  }
  const coins = [{ denom, amount }];
  bank.sendCoins(ctx, from, MODULE_ADDRESS, coins);
  if (rule === 'escrow') addEscrow(ctx, link.root, denom, amount);
  else bank.burnCoins(ctx, MODULE_ADDRESS, coins);
}

/** Pays `amount` of `denom` (this chain's own) out of the link's escrow to `to`. */
function unescrow(ctx: Context, bank: BankKeeper, link: Link, to: string, denom: string, amount: bigint): void {
  takeEscrow(ctx, link, denom, amount);
  bank.sendCoins(ctx, MODULE_ADDRESS, to, [{ denom, amount }]);
}

/** Mints `amount` of the voucher `denom` to `to`. */
function mint(ctx: Context, bank: BankKeeper, to: string, denom: string, amount: bigint): void {
  bank.mintCoins(ctx, MODULE_ADDRESS, [{ denom, amount }]);
  bank.sendCoins(ctx, MODULE_ADDRESS, to, [{ denom, amount }]);
}

/**
 * MsgTransfer: locks the coins and commits a packet. Returns its sequence. The receiver may not be a
 * module account (MsgSend blocks them too): paid into one, coins sit outside its records (the
 * `shards` escrows, distribution's rewards, the staking pools). Both chains run the same modules, so
 * the source refuses such a receiver; the destination refuses to release to one (it times out).
 */
export function transfer(ctx: Context, bank: BankKeeper, moduleAccounts: ReadonlySet<string>, msg: MsgTransfer): bigint {
  const link = requireLink(ctx.state, msg.shard);
  requireOpen(ctx.state, link);
  if (moduleAccounts.has(msg.receiver)) {
    throw ainError(ErrInvalidShardsMsg, `receiver: ${msg.receiver} is a module account; expected a user's address`, { field: 'receiver' });
  }
  const client = readClient(ctx.state, link.root);
  const latest = client.height;
  // No header can be reported after the trusting period (lightclient/8), so a packet sent then could
  // never be received nor timed out: its coins would be locked for good.
  if (client.timeSeconds + link.params.trustingPeriodSeconds <= ctx.blockTimeSeconds) {
    throw ainError(
      ErrTrustingPeriodExpired,
      `shard ${link.name}: the latest reported header of ${link.chainId} (time ${client.timeSeconds}) is older than the trusting period ${link.params.trustingPeriodSeconds} s; the link cannot be updated and transfers are refused`,
      { shard: link.name },
    );
  }
  // Already past: the packet could never be received, and a timeout could be proven at once.
  if (msg.timeoutHeight <= latest) {
    throw ainError(ErrInvalidShardsMsg, `timeout_height: ${msg.timeoutHeight} is not above ${link.chainId}'s reported height ${latest}`, {
      field: 'timeout_height',
    });
  }
  const amount = BigInt(msg.amount);
  const denom = transferDenom(link, msg.denom);
  lock(ctx, bank, link, msg.signer, denom, amount);
  const sequence = readAmount(ctx.state, nextSequencePath(link.root)) || 1n;
  ctx.state.set(nextSequencePath(link.root), (sequence + 1n).toString());
  const packet: Packet = {
    sequence,
    sender: msg.signer,
    receiver: msg.receiver,
    denom,
    amount: msg.amount,
    timeoutHeight: msg.timeoutHeight,
    sourceChainId: ctx.chainId,
  };
  ctx.state.set(packetPath(link.root, sequence), packetCommitment(packet));
  ctx.events.emit(packetSentEvent({ shard: link.name, ...packet }));
  return sequence;
}

/** MsgRecvPacket: proves the source's commitment, records the receipt, releases the coins. */
export function recvPacket(ctx: Context, bank: BankKeeper, moduleAccounts: ReadonlySet<string>, msg: MsgRecvPacket): void {
  const link = requireLink(ctx.state, msg.shard);
  const packet = Packet.fromPartial(msg.packet!);
  if (packet.sourceChainId !== link.chainId) {
    throw ainError(ErrInvalidPacket, `packet.source_chain_id: expected ${link.chainId}, got ${packet.sourceChainId}`, {
      field: 'packet.source_chain_id',
    });
  }
  // Coming home (released from this link's escrow) or arriving (minted as the voucher); a third chain's voucher is refused.
  const arrival = arrivalOf(ctx.chainId, link, packet.denom);
  const shared = arrival.kind === 'mint' ? sharedChainId(ctx.state, link) : [];
  if (shared.length > 0) {
    throw ainError(
      ErrInvalidPacket,
      `packet.denom: ${arrival.denom} is not minted over the link ${link.name}: the link(s) ${shared.join(', ')} follow ${link.chainId} too; the packet times out and is refunded`,
      { field: 'packet.denom' },
    );
  }
  if (moduleAccounts.has(packet.receiver)) {
    throw ainError(
      ErrInvalidPacket,
      `packet ${packet.sequence}: receiver ${packet.receiver} is a module account; it will time out and refund`,
      {
        sequence: packet.sequence.toString(),
      },
    );
  }
  if (ctx.height >= packet.timeoutHeight) {
    throw ainError(ErrPacketTimedOut, `packet ${packet.sequence}: height ${ctx.height} is at or past its timeout ${packet.timeoutHeight}`, {
      sequence: packet.sequence.toString(),
    });
  }
  if (ctx.state.get(receiptPath(link.root, packet.sequence)) !== undefined) {
    throw ainError(ErrPacketReceived, `packet ${packet.sequence} from ${link.chainId} was received already`, {
      sequence: packet.sequence.toString(),
    });
  }
  ctx.gas.consume(PROOF_GAS_PER_BYTE * msg.proof.length, 'state proof');
  const source = packetPath(link.counterpartyRoot, packet.sequence);
  verifyOtherState(ctx.state, link, msg.proofHeight, source, packetCommitment(packet), msg.proof);
  ctx.state.set(receiptPath(link.root, packet.sequence), true);
  const amount = BigInt(packet.amount);
  if (arrival.kind === 'release') unescrow(ctx, bank, link, packet.receiver, arrival.denom, amount);
  else mint(ctx, bank, packet.receiver, arrival.denom, amount);
  ctx.events.emit(
    packetReceivedEvent({
      shard: link.name,
      sequence: packet.sequence,
      receiver: packet.receiver,
      denom: arrival.denom,
      amount: packet.amount,
    }),
  );
}

function requirePacket(state: ReadableState, link: Link, sequence: bigint): Packet {
  const packet = readMessage(state, packetPath(link.root, sequence), Packet);
  if (!packet) {
    throw ainError(ErrPacketNotFound, `no unsettled packet ${sequence} to ${link.chainId} (acknowledged or timed out already?)`, {
      sequence: sequence.toString(),
    });
  }
  return packet;
}

/** MsgAcknowledge: proves the destination's receipt; the packet is settled. */
export function acknowledge(ctx: Context, msg: MsgAcknowledge): void {
  const link = requireLink(ctx.state, msg.shard);
  requirePacket(ctx.state, link, msg.sequence);
  ctx.gas.consume(PROOF_GAS_PER_BYTE * msg.proof.length, 'state proof');
  verifyOtherState(ctx.state, link, msg.proofHeight, receiptPath(link.counterpartyRoot, msg.sequence), true, msg.proof);
  ctx.state.set(packetPath(link.root, msg.sequence), null);
  ctx.events.emit(packetAcknowledgedEvent({ shard: link.name, sequence: msg.sequence }));
}

/** MsgTimeout: proves no receipt at a height the packet can no longer be received at; refunds the sender. */
export function timeout(ctx: Context, bank: BankKeeper, msg: MsgTimeout): void {
  const link = requireLink(ctx.state, msg.shard);
  const packet = requirePacket(ctx.state, link, msg.sequence);
  // State after block H holds every block below H + 1; the destination refuses at heights >= the timeout.
  if (msg.proofHeight + 1n < packet.timeoutHeight) {
    throw ainError(
      ErrNotTimedOut,
      `packet ${msg.sequence} times out at ${link.chainId} height ${packet.timeoutHeight}; prove its absence at state height ${packet.timeoutHeight - 1n} or later`,
      { sequence: msg.sequence.toString() },
    );
  }
  ctx.gas.consume(PROOF_GAS_PER_BYTE * msg.proof.length, 'state proof');
  verifyOtherState(ctx.state, link, msg.proofHeight, receiptPath(link.counterpartyRoot, msg.sequence), undefined, msg.proof);
  ctx.state.set(packetPath(link.root, msg.sequence), null);
  const amount = BigInt(packet.amount);
  // The refund undoes the lock: the other chain's voucher was burned, so it is minted back; this chain's own denom comes out of escrow.
  if (packet.denom.startsWith(voucherPrefix(link.chainId))) mint(ctx, bank, packet.sender, packet.denom, amount);
  else unescrow(ctx, bank, link, packet.sender, packet.denom, amount);
  ctx.events.emit(
    packetTimedOutEvent({ shard: link.name, sequence: msg.sequence, refunded: packet.sender, denom: packet.denom, amount: packet.amount }),
  );
}
