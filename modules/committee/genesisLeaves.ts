/**
 * The shapes of the committee module's leaves, which InitChain checks in exported genesis leaves: the
 * end of each block expires open proposals by their `/committee/open` entries (reading each record),
 * and votes weigh members by their stored weights, so a hand-edited record not as the keeper writes
 * it, or an open entry without its open proposal, would throw there and halt the chain. The proposal
 * shape is the JSON of `ProposalRecord` (bigints as decimal strings); the compile-time check below
 * keeps the two the same.
 */
import { z } from 'zod';
import {
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
import { type ProposalRecord, ProposalStatus } from './keeper.ts';
import { MEMBERS_ROOT, NEXT_PROPOSAL_ID_PATH, OPEN_ROOT, openPath, PROPOSALS_ROOT, paramPath, THRESHOLD_PATH } from './keys.ts';

const { uint, flag, address } = leafShapes;
const FIELD = 'genesis committee.leaves';
const positive = uint.refine((text) => text !== '0', 'expected a positive integer');

const proposal = z.strictObject({
  id: uint,
  proposer: address,
  messages: z.array(z.strictObject({ typeUrl: z.string(), value: z.base64() })),
  summary: z.string(),
  status: z
    .enum(ProposalStatus)
    .refine((s) => s >= ProposalStatus.PROPOSAL_STATUS_OPEN && s <= ProposalStatus.PROPOSAL_STATUS_CLOSED, 'expected a status 1 to 5'),
  submitTime: uint,
  votingEndTime: uint,
  votes: z.array(z.strictObject({ voter: address, yes: z.boolean() })),
  yesWeight: uint,
  noWeight: uint,
  failedReason: z.string(),
});

// A field added to the record type and not here (or the other way round) fails to compile.
const shapeMatchesRecord: SameType<z.infer<typeof proposal>, RecordJson<ProposalRecord>> = true;
void shapeMatchesRecord;

const COMMITTEE_LEAVES: readonly LeafKind[] = [
  { path: NEXT_PROPOSAL_ID_PATH, schema: uint },
  { path: THRESHOLD_PATH, schema: positive },
  { path: `${MEMBERS_ROOT}/*`, schema: positive },
  { path: `${PROPOSALS_ROOT}/*`, schema: proposal, record: true },
  { path: `${OPEN_ROOT}/*/*`, schema: flag },
  { path: paramPath('voting_period'), schema: uint },
];

/**
 * Checks the committee leaves of a genesis against the shapes the keeper writes, then their index as
 * the keeper keeps it: members under account addresses, each proposal under its own id (below
 * `/committee/next_proposal_id`), and one `/committee/open` entry per open proposal, at its voting
 * end, and none other.
 * @throws AinError sdk/18 naming the leaf and the field
 */
export function checkCommitteeLeaves(leaves: SubtreeLeaves): void {
  checkLeafKinds(leaves, COMMITTEE_LEAVES, FIELD);
  const refuse = (path: string, why: string) => ainError(ErrInvalidRequest, `${FIELD}["${path}"] ${why}`);
  const nextId = leaves[NEXT_PROPOSAL_ID_PATH] === undefined ? 1n : BigInt(leaves[NEXT_PROPOSAL_ID_PATH] as string);
  const open = new Set<string>();
  for (const [path, value] of Object.entries(leaves)) {
    if (path.startsWith(`${MEMBERS_ROOT}/`) && !address.safeParse(path.slice(MEMBERS_ROOT.length + 1)).success)
      throw refuse(path, 'is not under an account address');
    if (!path.startsWith(`${PROPOSALS_ROOT}/`)) continue;
    const record = JSON.parse(value as string) as z.infer<typeof proposal>;
    if (path !== `${PROPOSALS_ROOT}/${record.id}`) throw refuse(path, `has id ${record.id}; expected the proposal under its key`);
    if (BigInt(record.id) >= nextId) throw refuse(path, `has id ${record.id}; ${NEXT_PROPOSAL_ID_PATH} is ${nextId}`);
    if (record.status === ProposalStatus.PROPOSAL_STATUS_OPEN) open.add(openPath(BigInt(record.votingEndTime), BigInt(record.id)));
  }
  checkIndexEntries(leaves, [OPEN_ROOT], open, FIELD, {
    stray: 'is not the entry of an open proposal, at its voting end',
    missing: 'the entry of an open proposal',
  });
}
