/** The auth module's errors are the Cosmos SDK's, codespace `sdk` (`core/errors.ts`): 4 unauthorized, 7 invalid address, 22 key not found, 32 wrong sequence. */
export {};
