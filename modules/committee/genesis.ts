/**
 * `app_state.committee` (optional): `{}` on a new chain, which writes nothing (chains from before the
 * module keep their app hash). A chain may start with a committee (`committee: {members: [{address,
 * weight}], threshold}`, numbers as decimal text) and params (`params: {voting_period}`); an exported
 * chain carries every leaf of `/committee` and `/params/committee` as stored (`leaves`, alone). The
 * developer fund is the bank balance of the module account `committee` (`app_state.bank.balances`).
 */
import { ainError, exportSubtrees, importSubtrees, type ModuleGenesis, type SubtreeLeaves } from '../../core/index.ts';
import { ErrInvalidGenesis } from './errors.ts';
import { checkCommitteeLeaves } from './genesisLeaves.ts';
import type { CommitteeKeeper } from './keeper.ts';
import { COMMITTEE_ROOT, PARAMS_ROOT } from './keys.ts';
import { type CommitteeSet, committeeSetOf } from './msgs.ts';
import { type CommitteeParams, type CommitteeParamsJson, committeeParamsFromJson, writeCommitteeParams } from './params.ts';

export interface CommitteeGenesisJson {
  readonly committee?: {
    readonly members: ReadonlyArray<{ readonly address: string; readonly weight: string }>;
    readonly threshold: string;
  };
  readonly params?: CommitteeParamsJson;
  readonly leaves?: SubtreeLeaves;
}

const KNOWN = ['committee', 'params', 'leaves'];

function decimal(text: unknown, field: string): bigint {
  if (typeof text !== 'string' || !/^[0-9]{1,20}$/.test(text))
    throw ainError(ErrInvalidGenesis, `genesis ${field} must be decimal text`, { field });
  return BigInt(text);
}

function parseGenesis(genesis: CommitteeGenesisJson): { committee?: CommitteeSet; params?: CommitteeParams } {
  if (typeof genesis !== 'object' || genesis === null || Array.isArray(genesis))
    throw ainError(ErrInvalidGenesis, 'genesis committee must be an object', { field: 'committee' });
  for (const key of Object.keys(genesis))
    if (!KNOWN.includes(key))
      throw ainError(ErrInvalidGenesis, `genesis committee.${key} is not known; expected ${KNOWN.join(', ')}`, {
        field: `committee.${key}`,
      });
  if (genesis.leaves !== undefined && (genesis.committee !== undefined || genesis.params !== undefined))
    throw ainError(ErrInvalidGenesis, 'genesis committee.leaves (an export) comes alone, without committee or params', {
      field: 'committee.leaves',
    });
  const parsed: { committee?: CommitteeSet; params?: CommitteeParams } = {};
  if (genesis.params !== undefined) parsed.params = committeeParamsFromJson(genesis.params);
  const section = genesis.committee;
  if (section !== undefined) {
    if (typeof section !== 'object' || section === null || !Array.isArray(section.members))
      throw ainError(ErrInvalidGenesis, 'genesis committee.committee must be {members: [...], threshold}', {
        field: 'committee.committee',
      });
    const members = section.members.map((m, i) => ({
      address: String(m?.address ?? ''),
      weight: decimal(m?.weight, `committee.committee.members[${i}].weight`),
    }));
    parsed.committee = committeeSetOf(members, decimal(section.threshold, 'committee.committee.threshold'), 'committee.committee.');
  }
  return parsed;
}

export function committeeGenesis(keeper: CommitteeKeeper): ModuleGenesis<CommitteeGenesisJson> {
  return {
    defaultGenesis: () => ({}),
    validate: (genesis) => {
      parseGenesis(genesis);
    },
    init: (ctx, genesis) => {
      if (genesis === undefined) return undefined;
      const { committee, params } = parseGenesis(genesis);
      importSubtrees(ctx.state, genesis.leaves, [COMMITTEE_ROOT, PARAMS_ROOT], 'genesis committee.leaves');
      if (genesis.leaves !== undefined) checkCommitteeLeaves(genesis.leaves);
      if (params) writeCommitteeParams(ctx.state, params);
      if (committee) keeper.setCommittee(ctx, committee);
      return undefined;
    },
    exportGenesis: (state) => {
      const leaves = exportSubtrees(state, [COMMITTEE_ROOT, PARAMS_ROOT]);
      return Object.keys(leaves).length > 0 ? { leaves } : {};
    },
  };
}
