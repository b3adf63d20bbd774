/** The auth module needs no other module's keeper. */
export {};
