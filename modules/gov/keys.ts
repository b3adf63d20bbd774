/**
 * The gov module's subtree `/gov` (params at `/params/gov/<name>`). Proposal ids and times are padded
 * to 20 digits in keys, so a list reads them in order and a queue read from the front yields the
 * earliest first.
 */
export const GOV_ROOT = '/gov';
export const PARAMS_ROOT = '/params/gov';

/** `/gov/proposals/<id, 20 digits>`: the proposal record (canonical JSON). */
export const PROPOSALS_ROOT = `${GOV_ROOT}/proposals`;
/** `/gov/deposits/<id, 20 digits>/<depositor>`: coins deposited (canonical JSON list of coins). */
export const DEPOSITS_ROOT = `${GOV_ROOT}/deposits`;
/** `/gov/votes/<id, 20 digits>/<voter>`: weighted options (canonical JSON), removed once tallied. */
export const VOTES_ROOT = `${GOV_ROOT}/votes`;
/** `/gov/next_proposal_id`: the id the next proposal gets (missing = 1). */
export const NEXT_PROPOSAL_ID_PATH = `${GOV_ROOT}/next_proposal_id`;
/** `/gov/constitution`: the chain's constitution text from genesis (absent when empty). */
export const CONSTITUTION_PATH = `${GOV_ROOT}/constitution`;
/** `/gov/deposit_queue/<deposit end, 20 digits>/<id, 20 digits>`: `true` while the proposal waits for deposits. */
export const DEPOSIT_QUEUE_ROOT = `${GOV_ROOT}/deposit_queue`;
/** `/gov/voting_queue/<voting end, 20 digits>/<id, 20 digits>`: `true` while the proposal is being voted on. */
export const VOTING_QUEUE_ROOT = `${GOV_ROOT}/voting_queue`;

export const pad20 = (n: bigint): string => n.toString().padStart(20, '0');

export const proposalPath = (id: bigint): string => `${PROPOSALS_ROOT}/${pad20(id)}`;
export const proposalDepositsPath = (id: bigint): string => `${DEPOSITS_ROOT}/${pad20(id)}`;
export const depositPath = (id: bigint, depositor: string): string => `${DEPOSITS_ROOT}/${pad20(id)}/${depositor}`;
export const proposalVotesPath = (id: bigint): string => `${VOTES_ROOT}/${pad20(id)}`;
export const votePath = (id: bigint, voter: string): string => `${VOTES_ROOT}/${pad20(id)}/${voter}`;
export const depositQueuePath = (end: bigint, id: bigint): string => `${DEPOSIT_QUEUE_ROOT}/${pad20(end)}/${pad20(id)}`;
export const votingQueuePath = (end: bigint, id: bigint): string => `${VOTING_QUEUE_ROOT}/${pad20(end)}/${pad20(id)}`;
export const paramPath = (name: string): string => `${PARAMS_ROOT}/${name}`;

/** The last label of a path (a depositor, a voter). */
export const lastLabel = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

/** [time, id] of a queue key under `root`. */
export function queueEntry(root: string, path: string): [bigint, bigint] {
  const [time, id] = path.slice(root.length + 1).split('/');
  return [BigInt(time!), BigInt(id!)];
}
