/**
 * `aind genesis economics` and `aind genesis validate` on a home: the AIN 700,000,000 supply split
 * 60/40 written into HOME/config/genesis.json from a plan file, and the checks of a genesis file.
 */
import { readFileSync } from 'node:fs';
import { type EconomicsPlanJson, type EconomicsTotals, genesisStartOfDoc, validateAppState, withGenesisEconomics } from '../app/index.ts';
import { ainError, ErrInvalidRequest } from '../core/index.ts';
import { readGenesis, updateAppState } from './genesisFile.ts';

/**
 * Adds the plan's accounts (`planFile`, JSON {@link EconomicsPlanJson}) to the home's genesis, the
 * reserve vesting from its `genesis_time`, and checks the result at the file's chain id, initial
 * height and genesis time, as InitChain will.
 * @example applyEconomicsToHome('/tmp/n0', 'economics.json')
 */
export function applyEconomicsToHome(home: string, planFile: string): EconomicsTotals {
  let plan: EconomicsPlanJson;
  try {
    plan = JSON.parse(readFileSync(planFile, 'utf8')) as EconomicsPlanJson;
  } catch (cause) {
    throw ainError(ErrInvalidRequest, `cannot read the plan ${planFile}: ${(cause as Error).message}`);
  }
  const start = genesisStartOfDoc(readGenesis(home));
  let totals: EconomicsTotals | undefined;
  // Checked before the file is written: a refused plan leaves genesis.json as it was.
  updateAppState(home, (state) => {
    const next = withGenesisEconomics(state, plan, start.blockTimeSeconds);
    totals = validateAppState(next, true, start);
    return next;
  });
  return totals!;
}

/** Checks the home's genesis (`economics`: the AIN totals too) as InitChain will; throws the first problem found. */
export function validateHomeGenesis(home: string, economics: boolean): EconomicsTotals | undefined {
  const genesis = readGenesis(home);
  const state = genesis.app_state;
  if (!state) throw ainError(ErrInvalidRequest, 'genesis.json has no app_state; run `aind init` first');
  return validateAppState(state, economics, genesisStartOfDoc(genesis));
}
