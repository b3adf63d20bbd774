/** The auth module has no messages of its own: accounts change through the ante handler (`app/ante.ts`) and other modules' keepers. */
export {};
