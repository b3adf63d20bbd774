/**
 * What the state module needs from other modules: nothing yet. Signers are checked by the ante
 * handler before a message reaches the module, and apps, rules and owners live in its own subtrees.
 * Issue 4 (triggers and functions) will add the narrow interfaces it calls here.
 */
export type StateExpectedKeepers = Record<string, never>;
