/** The upgrade module keeps no state yet (no plan can be scheduled without governance): it owns no subtree. */
export {};
