/** The shards module has no params: each shard carries its own trust and consensus rules, set by its branch. */
export {};
