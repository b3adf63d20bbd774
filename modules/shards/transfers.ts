/**
 * Moving the parent's uain between a parent and its children, with proofs instead of trust in a
 * relayer. The parent escrows uain sent to a child in the module account `shards` (per child in
 * `R/escrow`); the child mints them as the voucher `shard/<parent chain id>/uain`. Vouchers sent back
 * are burned on the child and unescrowed on the parent. Each side commits a packet per transfer
 * (`R/out/packets/<seq>`); the destination proves the commitment against the source's reported
 * header and writes a receipt (`R/in/receipts/<seq>`), so a replayed proof is refused; the source
 * proves the receipt to forget the packet (the acknowledgement) or, past the timeout height, proves
 * its absence (the tree proves absence) to refund the sender.
 */
import { ainError, type Context, type ReadableState } from '../../core/index.ts';
import type { MsgAcknowledge, MsgRecvPacket, MsgTimeout, MsgTransfer } from '../../proto/gen/ain/shards/v1/tx.ts';
import { Packet } from '../../proto/gen/ain/shards/v1/types.ts';
import {
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
import { escrowPath, nextSequencePath, packetPath, receiptPath, voucherDenom } from './keys.ts';
import { ErrTrustingPeriodExpired } from './lightclient/index.ts';
import { PROOF_GAS_PER_BYTE, verifyOtherState } from './proofs.ts';
import { isFrozen, type Link, packetCommitment, readClient, readMessage, requireLink, SHARDS_MODULE } from './records.ts';
import { moduleAddress } from '../../core/index.ts';

const MODULE_ADDRESS = moduleAddress(SHARDS_MODULE);
const BASE = 'uain';

const readAmount = (state: ReadableState, path: string): bigint => {
  const value = state.get(path);
  return typeof value === 'string' ? BigInt(value) : 0n;
};

/** The denom a link sends: uain from a parent to its child, the voucher from a child to its parent. */
function sentDenom(link: Link): string {
  return link.kind === 'child' ? BASE : voucherDenom(link.chainId);
}

function requireOpen(state: ReadableState, link: Link): void {
  if (isFrozen(state, link)) throw ainError(ErrFrozen, `shard ${link.name} is frozen; its admin must unfreeze it`, { shard: link.name });
}

/** Takes `amount` from `from`: into escrow on a parent, burned on a child. */
function lock(ctx: Context, bank: BankKeeper, link: Link, from: string, amount: bigint): void {
  const coins = [{ denom: sentDenom(link), amount }];
  bank.sendCoins(ctx, from, MODULE_ADDRESS, coins);
  if (link.kind === 'child') ctx.state.set(escrowPath(link.root), (readAmount(ctx.state, escrowPath(link.root)) + amount).toString());
  else bank.burnCoins(ctx, MODULE_ADDRESS, coins);
}

/** Gives `amount` back or across to `to`: out of escrow on a parent, minted as the voucher on a child. */
function release(ctx: Context, bank: BankKeeper, link: Link, to: string, amount: bigint): string {
  if (link.kind === 'child') {
    const escrow = readAmount(ctx.state, escrowPath(link.root));
    // Only ever short if the other chain's validators forged a burn: refuse rather than take another child's escrow.
    if (escrow < amount) throw ainError(ErrInvalidPacket, `shard ${link.name} escrows ${escrow}uain, less than ${amount}uain`);
    ctx.state.set(escrowPath(link.root), escrow - amount === 0n ? null : (escrow - amount).toString());
    bank.sendCoins(ctx, MODULE_ADDRESS, to, [{ denom: BASE, amount }]);
    return BASE;
  }
  const denom = voucherDenom(link.chainId);
  bank.mintCoins(ctx, MODULE_ADDRESS, [{ denom, amount }]);
  bank.sendCoins(ctx, MODULE_ADDRESS, to, [{ denom, amount }]);
  return denom;
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
  lock(ctx, bank, link, msg.signer, amount);
  const sequence = readAmount(ctx.state, nextSequencePath(link.root)) || 1n;
  ctx.state.set(nextSequencePath(link.root), (sequence + 1n).toString());
  const packet: Packet = {
    sequence,
    sender: msg.signer,
    receiver: msg.receiver,
    denom: sentDenom(link),
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
  // What this link carries: from a parent its uain, from a child the voucher of this chain's uain.
  const expected = link.kind === 'child' ? voucherDenom(ctx.chainId) : BASE;
  if (packet.sourceChainId !== link.chainId || packet.denom !== expected) {
    throw ainError(
      ErrInvalidPacket,
      `packet: expected source_chain_id ${link.chainId} and denom ${expected}, got ${packet.sourceChainId} and ${packet.denom}`,
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
  const denom = release(ctx, bank, link, packet.receiver, BigInt(packet.amount));
  ctx.events.emit(
    packetReceivedEvent({ shard: link.name, sequence: packet.sequence, receiver: packet.receiver, denom, amount: packet.amount }),
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
  // The refund undoes the lock: out of escrow on a parent; vouchers minted back on a child.
  if (link.kind === 'child') release(ctx, bank, link, packet.sender, amount);
  else {
    bank.mintCoins(ctx, MODULE_ADDRESS, [{ denom: packet.denom, amount }]);
    bank.sendCoins(ctx, MODULE_ADDRESS, packet.sender, [{ denom: packet.denom, amount }]);
  }
  ctx.events.emit(
    packetTimedOutEvent({ shard: link.name, sequence: msg.sequence, refunded: packet.sender, denom: packet.denom, amount: packet.amount }),
  );
}
