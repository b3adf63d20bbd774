/** The jobs module serves no REST routes yet: clients read it over ABCI query (`ain.jobs.v1.Query`, `client/queryJobs.ts`). */
export {};
