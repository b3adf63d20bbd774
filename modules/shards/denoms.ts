/**
 * Which way a denom crosses a link, and the escrows it leaves behind: ICS-20's rule, with the
 * voucher prefix `shard/<chain id>/` in place of a port and channel. A chain sends its own (native)
 * denoms by escrowing them in the `shards` account, per link and per denom, so one link can never
 * release what another escrowed; the other chain mints `shard/<sender's chain id>/<denom>`. A voucher
 * of the other chain goes home by being burned; the other chain releases its base denom from its
 * escrow for that link. Vouchers of third chains do not cross. The packet carries the denom as the
 * sender holds it, so the receiver tells a voucher coming home (`shard/<receiver's chain id>/...`)
 * from the sender's own denom of the same name (both chains have their own uain).
 */
import { BASE_DENOM, type Context, ainError, type ReadableState, validateDenom } from '../../core/index.ts';
import type { Escrow } from '../../proto/gen/ain/shards/v1/types.ts';
import { ErrDenomNotTransferable, ErrInvalidPacket } from './errors.ts';
import { escrowPath, escrowsRoot, labelDenom, VOUCHER_PREFIX, voucherDenom, voucherPrefix } from './keys.ts';
import { type Link, otherLinksTo } from './records.ts';

/** Most escrowed denoms one link lists in a query (each escrow is a leaf; the list is a view). */
export const MAX_ESCROWS_LISTED = 100;

const readAmount = (state: ReadableState, path: string): bigint => {
  const value = state.get(path);
  return typeof value === 'string' ? BigInt(value) : 0n;
};

function isDenom(denom: string): boolean {
  try {
    validateDenom(denom);
    return true;
  } catch {
    return false;
  }
}

/**
 * The denom a MsgTransfer sends: its `denom`, or when empty (a message from before the field) what a
 * transfer sent then: uain from a parent, the parent's uain voucher from a child.
 */
export function transferDenom(link: Link, denom: string): string {
  if (denom !== '') return denom;
  return link.kind === 'child' ? BASE_DENOM : voucherDenom(link.chainId);
}

/**
 * How this chain (`ownChainId`) sends `denom` over `link`: `burn` for the other chain's voucher,
 * `escrow` for a denom of its own.
 * @throws shards/21 for a voucher of a third chain, or a denom whose voucher would not be a valid denom
 */
export function sendingRule(ownChainId: string, link: Link, denom: string): 'burn' | 'escrow' {
  if (denom.startsWith(voucherPrefix(link.chainId))) return 'burn';
  if (denom.startsWith(VOUCHER_PREFIX)) {
    throw ainError(
      ErrDenomNotTransferable,
      `denom: ${denom} is a voucher of a chain other than ${link.chainId}; only this chain's own denoms and ${link.chainId}'s vouchers (${voucherPrefix(link.chainId)}...) cross the link ${link.name}`,
      { field: 'denom', denom },
    );
  }
  const voucher = voucherDenom(ownChainId, denom);
  if (!isDenom(voucher)) {
    throw ainError(
      ErrDenomNotTransferable,
      `denom: ${denom} would arrive as ${voucher} (${voucher.length} characters), not a valid denom (at most 128 characters of letters, digits and / : . _ -)`,
      { field: 'denom', denom },
    );
  }
  return 'escrow';
}

/**
 * A voucher names its home chain by id only: where another link of this chain follows the same id
 * (several shards may follow one chain), a voucher could not tell which link it came over, and
 * tokens minted over one link could be sent home over the other, out of that link's escrow. So
 * vouchers are minted and burned only over a link that is the chain's sole link to that id.
 * @returns the other links to the id (empty: the link is the sole one)
 */
export function sharedChainId(state: ReadableState, link: Link): string[] {
  return otherLinksTo(state, link.chainId, link.name);
}

/** What a receiver does with a packet's denom: release its base from escrow (it comes home) or mint the voucher. */
export type Arrival = { readonly kind: 'release'; readonly denom: string } | { readonly kind: 'mint'; readonly denom: string };

/**
 * How this chain (`ownChainId`) receives `packetDenom` from `link`'s chain.
 * @throws shards/17 for a third chain's voucher or a voucher that is not a denom (the packet then times out and is refunded)
 */
export function arrivalOf(ownChainId: string, link: Link, packetDenom: string): Arrival {
  const home = voucherPrefix(ownChainId);
  if (packetDenom.startsWith(home)) {
    const base = packetDenom.slice(home.length);
    // Only native denoms are escrowed: a base that is itself a voucher has no escrow to come home to.
    if (base.startsWith(VOUCHER_PREFIX) || !isDenom(base)) {
      throw ainError(ErrInvalidPacket, `packet.denom: ${packetDenom} names ${base}, which is no denom of this chain`, {
        field: 'packet.denom',
      });
    }
    return { kind: 'release', denom: base };
  }
  if (packetDenom.startsWith(VOUCHER_PREFIX)) {
    throw ainError(
      ErrInvalidPacket,
      `packet.denom: ${packetDenom} is a voucher of neither ${link.chainId} nor this chain; vouchers of third chains do not cross`,
      { field: 'packet.denom' },
    );
  }
  const voucher = voucherDenom(link.chainId, packetDenom);
  if (!isDenom(voucher)) {
    throw ainError(ErrInvalidPacket, `packet.denom: ${packetDenom} would be minted as ${voucher}, not a valid denom`, {
      field: 'packet.denom',
    });
  }
  return { kind: 'mint', denom: voucher };
}

/** This chain's `denom` escrowed for the link at `root`. */
export const escrowOf = (state: ReadableState, root: string, denom: string): bigint => readAmount(state, escrowPath(root, denom));

/** Adds `amount` to the link's escrow of `denom` (the coins already moved into the `shards` account). */
export function addEscrow(ctx: Context, root: string, denom: string, amount: bigint): void {
  ctx.state.set(escrowPath(root, denom), (escrowOf(ctx.state, root, denom) + amount).toString());
}

/**
 * Takes `amount` off the link's escrow of `denom` (the caller moves the coins out of the `shards`
 * account); a zero escrow is no leaf.
 * @throws shards/17 when the link escrows less: only if the other chain's validators forged a burn; refusing keeps another link's escrow whole
 */
export function takeEscrow(ctx: Context, link: Link, denom: string, amount: bigint): void {
  const escrow = escrowOf(ctx.state, link.root, denom);
  if (escrow < amount) {
    throw ainError(ErrInvalidPacket, `shard ${link.name} escrows ${escrow}${denom}, less than ${amount}${denom}`, {
      field: 'packet.amount',
    });
  }
  ctx.state.set(escrowPath(link.root, denom), escrow === amount ? null : (escrow - amount).toString());
}

/** Every denom the link at `root` escrows, uain first, then by denom label (at most {@link MAX_ESCROWS_LISTED} besides uain). */
export function escrowsOf(state: ReadableState, root: string): Escrow[] {
  const escrows: Escrow[] = [];
  const base = escrowOf(state, root, BASE_DENOM);
  if (base > 0n) escrows.push({ denom: BASE_DENOM, amount: base.toString() });
  const prefix = `${escrowsRoot(root)}/`;
  for (const [path, value] of state.list(escrowsRoot(root), MAX_ESCROWS_LISTED)) {
    escrows.push({ denom: labelDenom(path.slice(prefix.length)), amount: String(value) });
  }
  return escrows;
}
