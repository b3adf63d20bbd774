/**
 * The shapes of the ainft module's leaves, which InitChain checks in exported genesis leaves: when a
 * re-run's job request closes (the jobs hook, at the end of a block), the re-run record and the token
 * it names are decoded, their bigint fields converted, the token's counts bumped and its tolerance
 * parsed; a hand-edited record that is not what the keeper writes would throw there and halt the
 * chain. Each shape is the JSON of a record type in `records.ts` (bigints as decimal strings); the
 * compile-time checks below keep the two the same. Indexes and counters are checked against the
 * tokens they count.
 */
import { z } from 'zod';
import {
  ainError,
  checkIndexEntries,
  checkLeafKinds,
  decFromText,
  ErrInvalidRequest,
  type LeafKind,
  leafShapes,
  type SubtreeLeaves,
  type SameType,
  type RecordJson,
} from '../../core/index.ts';
import { ErrInvalidParams } from './errors.ts';
import { BY_STATE_ROOT, byStatePath, PARAMS_ROOT, TOKENS_ROOT, rerunPath, tokenLabel, tokenPath, tokenRerunsPath } from './keys.ts';
import { HASH_PATTERN, ID_PATTERN, parseStatePath } from './msgs.ts';
import { type AinftParamsJson, ainftParamsFromJson } from './params.ts';
import type { RerunStatus, StoredClass, StoredRerun, StoredToken } from './records.ts';

const { uint, count, flag, address, addressOrNone } = leafShapes;
const label = z.string().regex(ID_PATTERN, `expected an id matching ${ID_PATTERN.source}`);
const ref = z.strictObject({ classId: label, id: label });
const text = z.string().optional();

/** Whether `parse` takes the text without throwing (a zod refinement over the module's own parsers). */
const parses =
  (parse: (text: string) => unknown) =>
  (text: string): boolean => {
    try {
      parse(text);
      return true;
    } catch {
      return false;
    }
  };

const isStatePath = parses((path) => parseStatePath(path, 'metadata.state'));

const metadata = z.strictObject({
  data: z.strictObject({ hash: text, ainft: ref.optional() }).optional(),
  model: z.strictObject({ name: text, epoch: uint.optional(), platform: text, weightsHash: text, ainft: ref.optional() }).optional(),
  service: z.strictObject({ api: text, demo: text, ainft: ref.optional() }).optional(),
  // Its `/ainft/by_state` entry is checked against it: a path as a mint takes it, under /apps/<app>.
  state: z.string().refine(isStatePath, 'expected a canonical state path under /apps/<app>, as a mint takes it').optional(),
});

const composition = z.strictObject({
  ownerWeight: uint,
  totalWeight: uint,
  children: z.array(z.strictObject({ classId: label, id: label, weight: uint })),
});

const provenance = z.strictObject({
  jobId: uint,
  requestId: uint,
  client: address,
  worker: address,
  evaluator: addressOrNone,
  workerCodeHash: z.string(),
  evaluatorCodeHash: z.string(),
  inputHashes: z.array(z.string().regex(HASH_PATTERN, 'expected a sha256 in lowercase hex')),
  resultHash: z.string(),
  settledAt: uint,
});

const isDecimal = parses((value) => decFromText(value, 'tolerance'));

const reproduce = z.strictObject({
  scoreField: z.string(),
  // Parsed when a re-run of the token is judged.
  tolerance: z.string().refine(isDecimal, 'expected a decimal >= 0 with at most 18 fraction digits'),
});
const token = z.strictObject({
  classId: label,
  id: label,
  owner: address,
  uri: z.string(),
  uriHash: z.string(),
  metadata,
  composition,
  provenance: provenance.exactOptional(),
  reproduce: reproduce.exactOptional(),
  approved: addressOrNone,
  minter: address,
  mintedAt: uint,
  height: uint,
  reproductions: z.strictObject({ reproduced: count, notReproduced: count, unfinished: count, pending: count }),
});

const klass = z.strictObject({
  id: label,
  name: z.string(),
  symbol: z.string(),
  description: z.string(),
  uri: z.string(),
  uriHash: z.string(),
  creator: address,
  minters: z.array(address),
});

const STATUSES: readonly RerunStatus[] = ['pending', 'reproduced', 'not_reproduced', 'unfinished'];
const rerun = z.strictObject({
  requestId: uint,
  classId: label,
  id: label,
  payer: address,
  status: z.enum(STATUSES as [RerunStatus, ...RerunStatus[]]),
  how: z.string(),
  resultHash: z.string(),
  score: z.string(),
  originalScore: z.string(),
  requestedAt: uint,
  settledAt: uint,
  weightsHash: z.string().exactOptional(),
  fromJob: uint.exactOptional(),
  reproduce: reproduce.exactOptional(),
});

// A field added to a record type and not here (or the other way round) fails to compile.
const shapesMatchRecords: [
  SameType<z.infer<typeof token>, RecordJson<StoredToken>>,
  SameType<z.infer<typeof klass>, RecordJson<StoredClass>>,
  SameType<z.infer<typeof rerun>, RecordJson<StoredRerun>>,
] = [true, true, true];
void shapesMatchRecords;

const AINFT_LEAVES: readonly LeafKind[] = [
  { path: '/ainft/classes/*', schema: klass, record: true },
  { path: '/ainft/supply/*', schema: uint },
  { path: '/ainft/tokens/*/*', schema: token, record: true },
  { path: '/ainft/earned/*/*', schema: uint },
  { path: '/ainft/owners/*/*/*', schema: flag },
  { path: '/ainft/balances/*/*', schema: uint },
  { path: '/ainft/operators/*/*', schema: flag },
  { path: '/ainft/parents/*/*/*/*/*', schema: uint },
  { path: '/ainft/by_hash/*/*/*/*', schema: flag },
  { path: '/ainft/by_request/*', schema: z.string().regex(/^[^/]+\/[^/]+$/, 'expected "<class>/<id>"') },
  { path: '/ainft/reruns/*', schema: rerun, record: true },
  { path: '/ainft/token_reruns/*/*/*', schema: flag },
];

/**
 * Checks the ainft leaves of a genesis against the shapes the keeper writes, then how they hang
 * together: each token and re-run under its own key, the params as genesis would take them, each
 * owner entry and counter what the tokens make them, each token's re-run entry a re-run of it, and
 * the `/ainft/by_state` entries those of the live tokens' state paths.
 * @throws AinError sdk/18 naming the leaf and the field, or the entry that differs
 */
export function checkAinftLeaves(leaves: SubtreeLeaves): void {
  checkLeafKinds(leaves, AINFT_LEAVES, FIELD);
  const refuse = (path: string, why: string) => ainError(ErrInvalidRequest, `${FIELD}["${path}"] ${why}`);
  checkParams(leaves);
  const owned = new Map<string, number>();
  const supply = new Map<string, number>();
  const states = new Map<string, string>();
  for (const [path, value] of Object.entries(leaves)) {
    const labels = path.split('/');
    if (labels[2] === 'tokens' && labels.length === 5) {
      const record = JSON.parse(value as string) as z.infer<typeof token>;
      if (path !== tokenPath(record.classId, record.id)) throw refuse(path, `holds token ${record.classId}/${record.id}`);
      if (leaves[`/ainft/owners/${record.owner}/${record.classId}/${record.id}`] !== true)
        throw ainError(
          ErrInvalidRequest,
          `${FIELD} lacks "/ainft/owners/${record.owner}/${record.classId}/${record.id}": true, its owner's entry`,
        );
      owned.set(
        `/ainft/balances/${record.owner}/${record.classId}`,
        (owned.get(`/ainft/balances/${record.owner}/${record.classId}`) ?? 0) + 1,
      );
      supply.set(`/ainft/supply/${record.classId}`, (supply.get(`/ainft/supply/${record.classId}`) ?? 0) + 1);
      if (record.metadata.state !== undefined) {
        const holder = states.get(record.metadata.state);
        if (holder !== undefined) throw refuse(path, `has state path ${record.metadata.state}, token ${holder}'s too`);
        states.set(record.metadata.state, tokenLabel(record));
      }
    } else if (labels[2] === 'reruns' && labels.length === 4) {
      const record = JSON.parse(value as string) as z.infer<typeof rerun>;
      if (path !== rerunPath(BigInt(record.requestId))) throw refuse(path, `holds the re-run of request ${record.requestId}`);
    } else if (labels[2] === 'token_reruns' && labels.length === 6) {
      const record = leaves[rerunPath(BigInt(labels[5]!))];
      const of = typeof record === 'string' ? (JSON.parse(record) as z.infer<typeof rerun>) : undefined;
      if (of === undefined || !path.startsWith(`${tokenRerunsPath(of.classId, of.id)}/`) || !/^[0-9]{20}$/.test(labels[5]!))
        throw refuse(path, 'is not the entry of a re-run of that token');
    }
  }
  for (const [path, value] of Object.entries(leaves)) {
    const labels = path.split('/');
    if (labels[2] === 'owners') {
      const owner = leaves[tokenPath(labels[4]!, labels[5]!)];
      if (typeof owner !== 'string' || (JSON.parse(owner) as { owner: string }).owner !== labels[3])
        throw refuse(path, 'names no token that address owns');
    }
    const counted = labels[2] === 'balances' ? owned : labels[2] === 'supply' ? supply : undefined;
    if (counted !== undefined && Number(value) !== (counted.get(path) ?? 0))
      throw refuse(path, `is ${value}; the tokens make it ${counted.get(path) ?? 0}`);
  }
  for (const [path, n] of [...owned, ...supply])
    if (leaves[path] === undefined) throw ainError(ErrInvalidRequest, `${FIELD} lacks "${path}": "${n}", a count of the tokens`);
  checkStatePaths(leaves, states);
}

/**
 * Live tokens' state paths (path -> `class/id`) as a mint claims them, none at or below another's, and
 * their `/ainft/by_state` entries, which a mint reads to refuse such a claim and a burn deletes: one
 * per live token's path naming that token, and no other.
 */
function checkStatePaths(leaves: SubtreeLeaves, states: ReadonlyMap<string, string>): void {
  for (const [path, label] of states) {
    const labels = path.split('/');
    for (let depth = 3; depth < labels.length; depth++) {
      const above = labels.slice(0, depth).join('/');
      const holder = states.get(above);
      if (holder !== undefined)
        throw ainError(ErrInvalidRequest, `${FIELD}["${TOKENS_ROOT}/${label}"] has state path ${path} below ${above}, token ${holder}'s`);
    }
  }
  for (const [path, label] of states) {
    const entry = byStatePath(path);
    const value = leaves[entry];
    if (value === undefined)
      throw ainError(ErrInvalidRequest, `${FIELD} lacks "${entry}": "${label}", the state path entry of a live token`);
    if (value !== label)
      throw ainError(
        ErrInvalidRequest,
        `${FIELD}["${entry}"] is ${JSON.stringify(value)}; expected "${label}", the token whose state path it is`,
      );
  }
  checkIndexEntries(leaves, [BY_STATE_ROOT], new Set([...states.keys()].map(byStatePath)), FIELD, {
    stray: 'is not the state path entry of a live token',
    missing: 'the state path entry of a live token',
  });
}

/** `/params/ainft/<name>` leaves: decimal text each, as genesis `params` would take them. */
function checkParams(leaves: SubtreeLeaves): void {
  for (const [path, value] of Object.entries(leaves)) {
    if (!path.startsWith(`${PARAMS_ROOT}/`)) continue;
    const name = path.slice(PARAMS_ROOT.length + 1);
    if (typeof value !== 'string') throw ainError(ErrInvalidRequest, `${FIELD}["${path}"] must be decimal text, as params are stored`);
    try {
      ainftParamsFromJson({ [name]: value } as AinftParamsJson);
    } catch (error) {
      const why = (error as Error).message.replace(`ainft.params.${name} `, '').replace(`: ${ErrInvalidParams.description}`, '');
      throw ainError(ErrInvalidRequest, `${FIELD}["${path}"] ${why}`);
    }
  }
}

const FIELD = 'genesis ainft.leaves';
