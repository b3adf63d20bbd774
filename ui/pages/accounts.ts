/**
 * Accounts (balances, delegations, recent txs) and validators (power, commission, delegations), from
 * the Cosmos REST routes.
 */
import type { Api } from '../api.ts';
import { facts, link, section, show, table } from '../dom.ts';
import { coin, coins, short } from '../format.ts';
import { type TxsAnswer, txRows } from './blocks.ts';

interface Delegation {
  readonly delegation: { readonly delegator_address: string; readonly validator_address: string; readonly shares: string };
  readonly balance: { readonly denom: string; readonly amount: string };
}

interface Validator {
  readonly operator_address: string;
  readonly description: { readonly moniker: string };
  readonly status: string;
  readonly jailed: boolean;
  readonly tokens: string;
  readonly commission: { readonly commission_rates: { readonly rate: string } };
}

export async function accountPage(api: Api, root: HTMLElement, address: string): Promise<void> {
  const [account, balances, delegations, sent] = await Promise.all([
    api
      .rest<{ account: Record<string, string> }>(`/cosmos/auth/v1beta1/accounts/${address}`)
      .catch(() => ({ account: {} as Record<string, string> })),
    api.rest<{ balances: Array<{ denom: string; amount: string }> }>(`/cosmos/bank/v1beta1/balances/${address}`),
    api.rest<{ delegation_responses: Delegation[] }>(`/cosmos/staking/v1beta1/delegations/${address}`),
    api.rest<TxsAnswer>(
      `/cosmos/tx/v1beta1/txs?query=${encodeURIComponent(`message.sender='${address}'`)}&order_by=ORDER_BY_DESC&limit=20`,
    ),
  ]);
  show(
    root,
    section(
      'Account',
      facts(
        [
          ['Address', address],
          ['Account number', account.account['account_number'] ?? '-'],
          ['Sequence', account.account['sequence'] ?? '-'],
          ['Balances', coins(balances.balances)],
        ],
        'account-facts',
      ),
    ),
    section(
      'Delegations',
      table(
        ['Validator', 'Amount'],
        delegations.delegation_responses.map((d) => [
          link(`validators/${d.delegation.validator_address}`, short(d.delegation.validator_address)),
          coins([d.balance]),
        ]),
        'account-delegations',
      ),
    ),
    section('Transactions sent', txRows(sent, 'account-txs')),
  );
}

export async function validatorList(api: Api, root: HTMLElement): Promise<void> {
  const answer = await api.rest<{ validators: Validator[] }>('/cosmos/staking/v1beta1/validators');
  show(
    root,
    section(
      'Validators',
      table(
        ['Moniker', 'Operator', 'Status', 'Tokens', 'Commission'],
        answer.validators.map((v) => [
          v.description.moniker,
          link(`validators/${v.operator_address}`, short(v.operator_address)),
          `${v.status.replace('BOND_STATUS_', '').toLowerCase()}${v.jailed ? ', jailed' : ''}`,
          coin(v.tokens),
          `${(Number(v.commission.commission_rates.rate) * 100).toFixed(1)}%`,
        ]),
        'validators',
      ),
    ),
  );
}

export async function validatorPage(api: Api, root: HTMLElement, operator: string): Promise<void> {
  const [validator, delegations] = await Promise.all([
    api.rest<{ validator: Validator }>(`/cosmos/staking/v1beta1/validators/${operator}`),
    api.rest<{ delegation_responses: Delegation[] }>(`/cosmos/staking/v1beta1/validators/${operator}/delegations`),
  ]);
  const v = validator.validator;
  show(
    root,
    section(
      `Validator ${v.description.moniker}`,
      facts(
        [
          ['Operator', v.operator_address],
          ['Status', v.status],
          ['Tokens', coin(v.tokens)],
          ['Commission', `${(Number(v.commission.commission_rates.rate) * 100).toFixed(1)}%`],
        ],
        'validator-facts',
      ),
    ),
    section(
      'Delegations',
      table(
        ['Delegator', 'Shares', 'Amount'],
        delegations.delegation_responses.map((d) => [
          link(`account/${d.delegation.delegator_address}`, d.delegation.delegator_address),
          d.delegation.shares,
          coins([d.balance]),
        ]),
        'validator-delegations',
      ),
    ),
  );
}
