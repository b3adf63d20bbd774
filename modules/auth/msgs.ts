/**
 * The auth module's one message is the gov authority's `cosmos.auth.v1beta1.MsgUpdateParams`
 * (`msg_server.ts`); accounts change through the ante handler (`app/ante.ts`) and other modules' keepers.
 */
export {};
