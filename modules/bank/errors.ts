/** The bank module's errors are the Cosmos SDK's, codespace `sdk` (`core/errors.ts`): 5 insufficient funds, 7 invalid address, 10 invalid coins, 4 unauthorized (a blocked recipient). */
export {};
