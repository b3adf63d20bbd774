/** The upgrade module needs no other module's keeper. */
export {};
