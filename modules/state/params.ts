/** The state module has no params: its bounds (label, depth, value size, rule gas) are constants in `keys.ts`, `json.ts` and `rules/`. */
export {};
