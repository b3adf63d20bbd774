/**
 * `aind genesis economics` and `aind genesis validate` on a home: the AIN 700,000,000 supply split
 * 60/40 written into HOME/config/genesis.json from a plan file, and the checks of a genesis file.
 */
import { readFileSync } from 'node:fs';
import { type EconomicsPlanJson, type EconomicsTotals, validateAppState, withGenesisEconomics } from '../app/index.ts';
import { ainError, ErrInvalidRequest } from '../core/index.ts';
import { readGenesis, updateAppState } from './genesisFile.ts';

/** The genesis time of a genesis document in whole seconds since epoch (vesting schedules start there). */
export function genesisTimeSeconds(genesisTime: string): bigint {
  const millis = Date.parse(genesisTime);
  if (!Number.isFinite(millis)) throw ainError(ErrInvalidRequest, `genesis_time "${genesisTime}" is not an RFC 3339 time`);
  return BigInt(Math.floor(millis / 1000));
}

/**
 * Adds the plan's accounts (`planFile`, JSON {@link EconomicsPlanJson}) to the home's genesis, the
 * reserve vesting from its `genesis_time`, and checks the resulting totals.
 * @example applyEconomicsToHome('/tmp/n0', 'economics.json')
 */
export function applyEconomicsToHome(home: string, planFile: string): EconomicsTotals {
  let plan: EconomicsPlanJson;
  try {
    plan = JSON.parse(readFileSync(planFile, 'utf8')) as EconomicsPlanJson;
  } catch (cause) {
    throw ainError(ErrInvalidRequest, `cannot read the plan ${planFile}: ${(cause as Error).message}`);
  }
  const genesis = readGenesis(home);
  const start = genesisTimeSeconds(genesis.genesis_time);
  let totals: EconomicsTotals | undefined;
  // Checked before the file is written: a refused plan leaves genesis.json as it was.
  updateAppState(home, (state) => {
    const next = withGenesisEconomics(state, plan, start);
    totals = validateAppState(next, true, { height: 1n, seconds: 0n, chainId: genesis.chain_id });
    return next;
  });
  return totals!;
}

/** Checks the home's genesis (`economics`: the AIN totals too); throws the first problem found. */
export function validateHomeGenesis(home: string, economics: boolean): EconomicsTotals | undefined {
  const genesis = readGenesis(home);
  const state = genesis.app_state;
  if (!state) throw ainError(ErrInvalidRequest, 'genesis.json has no app_state; run `aind init` first');
  const height = /^[1-9][0-9]{0,18}$/.test(genesis.initial_height) ? BigInt(genesis.initial_height) : 1n;
  return validateAppState(state, economics, { height, seconds: genesisTimeSeconds(genesis.genesis_time), chainId: genesis.chain_id });
}
