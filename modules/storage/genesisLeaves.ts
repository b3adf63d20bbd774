/**
 * The shapes of the storage module's leaves, which InitChain checks in exported genesis leaves: the end
 * of each block reads due reservations by their end entries (their records, their provider, the escrow
 * total and the module account's balance), so a hand-edited record that is not what the keeper writes
 * would throw there and halt the chain. Each shape is the JSON of a record type in `reservations.ts`
 * or `access.ts` (bigints as decimal strings); the compile-time checks below keep the two the same.
 */
import { z } from 'zod';
import {
  AinError,
  ainError,
  checkLeafKinds,
  ErrInvalidRequest,
  type LeafKind,
  leafShapes,
  type SubtreeLeaves,
  type SameType,
  type RecordJson,
  checkIndexEntries,
} from '../../core/index.ts';
import type { StoredAccess, StoredGrant, StoredKey } from './access.ts';
import {
  byClientEntryPath,
  ENDS_ROOT,
  ESCROW_TOTAL_PATH,
  endPath,
  NEXT_RESERVATION_ID_PATH,
  PARAMS_ROOT,
  providerPath,
  STORAGE_ROOT,
} from './keys.ts';
import { storageParamsFromJson, type StorageParamsJson } from './params.ts';
import type { ReservationStatus, StoredProvider, StoredReservation } from './reservations.ts';

const { uint, flag, address } = leafShapes;
const STATUSES: readonly ReservationStatus[] = ['active', 'ended', 'cancelled'];

const provider = z.strictObject({
  address,
  url: z.string(),
  backends: z.array(z.string()),
  pricePerGibDay: uint,
  capacityBytes: uint,
  reservedBytes: uint,
  registeredAt: uint,
  updatedAt: uint,
});

const reservation = z.strictObject({
  id: uint,
  client: address,
  provider: address,
  bytes: uint,
  start: uint,
  end: uint,
  price: uint,
  paid: uint,
  refunded: uint,
  status: z.enum(STATUSES as [ReservationStatus, ...ReservationStatus[]]),
});

const grant = z.strictObject({ address, expiresAt: uint });

const access = z.strictObject({
  hash: z.string(),
  owner: address,
  kind: z.enum(['public', 'list', 'request']),
  requestId: uint,
  grants: z.array(grant),
  encrypted: z.boolean(),
  keyCommitment: z.string(),
  testData: z.boolean(),
  provider: z.string(),
  revealedKey: z.string(),
  updatedAt: uint,
});

const wrappedKey = z.strictObject({ wrapped: z.string(), sharedAt: uint });

// A field added to a record type and not here (or the other way round) fails to compile.
const shapesMatchRecords: [
  SameType<z.infer<typeof provider>, RecordJson<StoredProvider>>,
  SameType<z.infer<typeof reservation>, RecordJson<StoredReservation>>,
  SameType<z.infer<typeof grant>, RecordJson<StoredGrant>>,
  SameType<z.infer<typeof access>, RecordJson<StoredAccess>>,
  SameType<z.infer<typeof wrappedKey>, RecordJson<StoredKey>>,
] = [true, true, true, true, true];
void shapesMatchRecords;

const STORAGE_LEAVES: readonly LeafKind[] = [
  { path: NEXT_RESERVATION_ID_PATH, schema: uint },
  { path: ESCROW_TOTAL_PATH, schema: uint },
  { path: '/storage/providers/*', schema: provider, record: true },
  { path: '/storage/reservations/*', schema: reservation, record: true },
  { path: '/storage/by_client/*/*/*', schema: flag },
  { path: '/storage/ends/*/*', schema: flag },
  { path: '/storage/access/*/*', schema: access, record: true },
  { path: '/storage/keys/*/*/*', schema: wrappedKey, record: true },
];

const FIELD = 'genesis storage.leaves';
const refuse = (path: string, why: string) => ainError(ErrInvalidRequest, `${FIELD}["${path}"] ${why}`);

/**
 * Checks the storage leaves of a genesis against the shapes the keeper writes, then their money and
 * indexes as the keeper keeps them: each record under its own key; an active reservation has paid at
 * most its price and refunded nothing, a closed one paid out all of it; `/storage/escrow_total` is
 * what the active ones still hold and the storage account's balance (`escrowBalance`); each provider
 * has reserved the bytes of its active reservations; one end entry and one client entry per active
 * reservation; the params stored are params.
 * @throws AinError sdk/18 naming the leaf and the field, or the sum that differs
 */
export function checkStorageLeaves(leaves: SubtreeLeaves, escrowBalance: bigint): void {
  checkLeafKinds(leaves, STORAGE_LEAVES, FIELD);
  checkParams(leaves);
  const providers = new Map<string, { path: string; reserved: bigint; capacity: bigint; active: bigint }>();
  const records = Object.entries(leaves).map(([path, value]) => ({ path, labels: path.split('/'), value }));
  for (const { path, labels, value } of records) {
    if (labels[2] === 'providers' && labels.length === 4) {
      const record = JSON.parse(value as string) as z.infer<typeof provider>;
      if (providerPath(record.address) !== path) throw refuse(path, `has address ${record.address}; expected ${labels[3]}`);
      const reserved = BigInt(record.reservedBytes);
      if (reserved > BigInt(record.capacityBytes))
        throw refuse(path, `has reservedBytes ${reserved} above its capacityBytes ${record.capacityBytes}`);
      providers.set(record.address, { path, reserved, capacity: BigInt(record.capacityBytes), active: 0n });
    } else if (labels[2] === 'access' && labels.length === 5) {
      const record = JSON.parse(value as string) as z.infer<typeof access>;
      if (record.hash !== labels[3] || record.owner !== labels[4])
        throw refuse(path, `is the record of ${record.hash}/${record.owner}; expected ${labels[3]}/${labels[4]}`);
    }
  }
  let escrowSum = 0n;
  const entries = new Set<string>();
  for (const { path, labels, value } of records) {
    if (labels[2] !== 'reservations' || labels.length !== 4) continue;
    const record = JSON.parse(value as string) as z.infer<typeof reservation>;
    if (record.id !== labels[3]) throw refuse(path, `has id ${record.id}; expected ${labels[3]}`);
    const [price, paid, refunded] = [BigInt(record.price), BigInt(record.paid), BigInt(record.refunded)];
    if (BigInt(record.start) > BigInt(record.end)) throw refuse(path, `ends at ${record.end}, before its start ${record.start}`);
    if (record.status !== 'active') {
      if (paid + refunded !== price)
        throw refuse(path, `is ${record.status} with paid ${paid} and refunded ${refunded}; they add up to its price ${price}`);
      continue;
    }
    if (refunded !== 0n || paid > price)
      throw refuse(
        path,
        `is active with paid ${paid} and refunded ${refunded}; an active reservation has refunded 0 and paid at most its price ${price}`,
      );
    escrowSum += price - paid;
    const held = providers.get(record.provider);
    if (held === undefined) throw refuse(path, `is active with ${record.provider}, which is not a registered provider`);
    held.active += BigInt(record.bytes);
    const id = BigInt(record.id);
    entries.add(endPath(BigInt(record.end), id));
    entries.add(byClientEntryPath(record.client, record.provider, id));
  }
  for (const [address, held] of providers)
    if (held.reserved !== held.active)
      throw refuse(held.path, `has reservedBytes ${held.reserved}; the active reservations with ${address} hold ${held.active} bytes`);
  const total = leaves[ESCROW_TOTAL_PATH] === undefined ? 0n : BigInt(leaves[ESCROW_TOTAL_PATH] as string);
  if (total !== escrowSum) throw refuse(ESCROW_TOTAL_PATH, `is ${total}; the active reservations hold ${escrowSum} (price less paid)`);
  if (escrowBalance !== escrowSum)
    throw ainError(
      ErrInvalidRequest,
      `${FIELD}: the storage account holds ${escrowBalance}uain; the active reservations hold ${escrowSum}uain`,
    );
  checkIndexEntries(leaves, [ENDS_ROOT, `${STORAGE_ROOT}/by_client`], entries, FIELD, {
    stray: 'is not an index entry of an active reservation',
    missing: 'an index entry of an active reservation',
  });
}

/** Params leaves (`/params/storage/<name>`) must be what genesis params would have written. */
function checkParams(leaves: SubtreeLeaves): void {
  for (const [path, value] of Object.entries(leaves)) {
    if (!path.startsWith(`${PARAMS_ROOT}/`)) continue;
    const name = path.slice(PARAMS_ROOT.length + 1);
    if (typeof value !== 'string') throw refuse(path, 'must be the param as decimal text');
    try {
      storageParamsFromJson({ [name]: value } as StorageParamsJson);
    } catch (error) {
      if (!(error instanceof AinError)) throw error;
      throw refuse(path, `is not a param as genesis writes it: ${error.message}`);
    }
  }
}
