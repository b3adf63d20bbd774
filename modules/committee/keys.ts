/**
 * The committee module's subtree `/committee` (params at `/params/committee/<name>`): the members
 * and threshold governance set, the proposals and the queue of their voting ends.
 */
export const COMMITTEE_ROOT = '/committee';
export const PARAMS_ROOT = '/params/committee';

/** `/committee/members/<addr>`: the member's weight (decimal text). */
export const MEMBERS_ROOT = `${COMMITTEE_ROOT}/members`;
/** `/committee/threshold`: the yes weight a proposal needs (decimal text); absent while no committee is set. */
export const THRESHOLD_PATH = `${COMMITTEE_ROOT}/threshold`;
/** `/committee/proposals/<id>`: a proposal record (canonical JSON), kept after it ends. */
export const PROPOSALS_ROOT = `${COMMITTEE_ROOT}/proposals`;
/** `/committee/next_proposal_id`: the id the next proposal gets (decimal text; absent: 1). */
export const NEXT_PROPOSAL_ID_PATH = `${COMMITTEE_ROOT}/next_proposal_id`;
/** `/committee/open/<voting end, 20 digits>/<id>`: `true` while a proposal is open; the end of a block expires them from the front. */
export const OPEN_ROOT = `${COMMITTEE_ROOT}/open`;

/** Most members a committee has. */
export const MAX_MEMBERS = 100;
/** Most messages one proposal carries. */
export const MAX_PROPOSAL_MESSAGES = 8;
/** Longest summary, in characters. */
export const MAX_SUMMARY_LENGTH = 10_000;

export const memberPath = (address: string): string => `${MEMBERS_ROOT}/${address}`;
export const proposalPath = (id: bigint): string => `${PROPOSALS_ROOT}/${id}`;
export const openPath = (end: bigint, id: bigint): string => `${OPEN_ROOT}/${end.toString().padStart(20, '0')}/${id}`;
export const paramPath = (name: string): string => `${PARAMS_ROOT}/${name}`;
