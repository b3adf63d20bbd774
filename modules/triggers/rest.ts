/** The triggers module serves no REST routes yet: clients read it over ABCI query (`ain.triggers.v1.Query`, `client/queryTriggers.ts`). */
export {};
