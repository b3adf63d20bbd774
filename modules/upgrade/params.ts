/** The upgrade module has no params (as the Cosmos SDK's x/upgrade). */
export {};
