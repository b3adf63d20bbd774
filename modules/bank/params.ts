/** The bank module's params: sends are always enabled (`default_send_enabled` is kept for the SDK's genesis shape). */
export interface BankParamsJson {
  default_send_enabled: boolean;
}

/** What genesis and the params query report. */
export function defaultBankParams(): BankParamsJson {
  return { default_send_enabled: true };
}
