/** The upgrade module raises only the SDK's errors (`core/errors.ts`): a request it cannot parse is `sdk/18`. */
export {};
