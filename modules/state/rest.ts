/** The state module serves no REST routes yet: clients read it over ABCI query (`ain.state.v1.Query`, `client/queryState.ts`). */
export {};
