/**
 * The upgrade module's subtree `/upgrade`: the plan governance scheduled (at most one) and the
 * heights named plans were applied at.
 */
export const UPGRADE_ROOT = '/upgrade';
/** `/upgrade/plan`: the scheduled plan, canonical JSON `{"height":"H","info":"...","name":"..."}`; absent when none. */
export const PLAN_PATH = `${UPGRADE_ROOT}/plan`;
/** `/upgrade/done/<name>`: the height (decimal text) the plan of that name was applied at. */
export const DONE_ROOT = `${UPGRADE_ROOT}/done`;

/** Plan names are path labels: at most this many characters, no `/`. */
export const MAX_PLAN_NAME = 140;
/** A plan's `info` (release notes, binary links) is kept up to this many characters. */
export const MAX_PLAN_INFO = 10_000;

export const donePath = (name: string): string => `${DONE_ROOT}/${name}`;
