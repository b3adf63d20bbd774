/** The channels module has no params: a channel's terms (deposit, duration) are its payer's. */
export {};
