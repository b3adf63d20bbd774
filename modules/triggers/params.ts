/** The triggers module has no params: call deadlines and prices come with each function config and executor registration. */
export {};
