import { describe, expect, it } from 'vitest';
import { ModuleManager } from '../moduleManager.ts';
import { MODULES } from '../modules.ts';
import * as rest from './index.ts';

describe('app/rest public API', () => {
  it('exports exactly these names', () => {
    expect(Object.keys(rest).sort()).toMatchInlineSnapshot(`
      [
        "BLOCK_HEIGHT_HEADER",
        "DEFAULT_COMET_TIMEOUT_MS",
        "DEFAULT_MAX_BODY_BYTES",
        "restRoutes",
        "startRestServer",
        "toGatewayError",
      ]
    `);
  });

  it('serves these routes', () => {
    expect(rest.restRoutes(new ModuleManager(MODULES).restRoutes).map((route) => `${route.method} ${route.path}`)).toMatchInlineSnapshot(`
      [
        "GET /cosmos/base/tendermint/v1beta1/node_info",
        "GET /cosmos/base/tendermint/v1beta1/syncing",
        "GET /cosmos/base/tendermint/v1beta1/blocks/latest",
        "GET /cosmos/base/tendermint/v1beta1/blocks/{height}",
        "GET /cosmos/auth/v1beta1/accounts/{address}",
        "GET /cosmos/auth/v1beta1/params",
        "GET /cosmos/bank/v1beta1/balances/{address}",
        "GET /cosmos/bank/v1beta1/balances/{address}/by_denom",
        "GET /cosmos/bank/v1beta1/spendable_balances/{address}",
        "GET /cosmos/bank/v1beta1/supply",
        "GET /cosmos/bank/v1beta1/supply/by_denom",
        "GET /cosmos/bank/v1beta1/supply/{denom}",
        "GET /cosmos/distribution/v1beta1/delegators/{delegator_address}/rewards",
        "GET /cosmos/distribution/v1beta1/delegators/{delegator_address}/rewards/{validator_address}",
        "GET /cosmos/distribution/v1beta1/delegators/{delegator_address}/validators",
        "GET /cosmos/distribution/v1beta1/delegators/{delegator_address}/withdraw_address",
        "GET /cosmos/distribution/v1beta1/validators/{validator_address}/commission",
        "GET /cosmos/distribution/v1beta1/validators/{validator_address}/outstanding_rewards",
        "GET /cosmos/distribution/v1beta1/community_pool",
        "GET /cosmos/distribution/v1beta1/params",
        "GET /cosmos/mint/v1beta1/inflation",
        "GET /cosmos/mint/v1beta1/annual_provisions",
        "GET /cosmos/mint/v1beta1/params",
        "GET /cosmos/slashing/v1beta1/signing_infos",
        "GET /cosmos/slashing/v1beta1/signing_infos/{cons_address}",
        "GET /cosmos/slashing/v1beta1/params",
        "GET /cosmos/staking/v1beta1/validators",
        "GET /cosmos/staking/v1beta1/validators/{validator_addr}",
        "GET /cosmos/staking/v1beta1/validators/{validator_addr}/delegations",
        "GET /cosmos/staking/v1beta1/validators/{validator_addr}/delegations/{delegator_addr}",
        "GET /cosmos/staking/v1beta1/validators/{validator_addr}/delegations/{delegator_addr}/unbonding_delegation",
        "GET /cosmos/staking/v1beta1/validators/{validator_addr}/unbonding_delegations",
        "GET /cosmos/staking/v1beta1/delegations/{delegator_addr}",
        "GET /cosmos/staking/v1beta1/delegators/{delegator_addr}/unbonding_delegations",
        "GET /cosmos/staking/v1beta1/delegators/{delegator_addr}/redelegations",
        "GET /cosmos/staking/v1beta1/delegators/{delegator_addr}/validators",
        "GET /cosmos/staking/v1beta1/pool",
        "GET /cosmos/staking/v1beta1/params",
        "GET /cosmos/nft/v1beta1/balance/{owner}/{class_id}",
        "GET /cosmos/nft/v1beta1/owner/{class_id}/{id}",
        "GET /cosmos/nft/v1beta1/supply/{class_id}",
        "GET /cosmos/nft/v1beta1/nfts",
        "GET /cosmos/nft/v1beta1/nfts/{class_id}/{id}",
        "GET /cosmos/nft/v1beta1/classes",
        "GET /cosmos/nft/v1beta1/classes/{class_id}",
        "POST /cosmos/tx/v1beta1/simulate",
        "POST /cosmos/tx/v1beta1/txs",
        "GET /cosmos/tx/v1beta1/txs/{hash}",
      ]
    `);
  });
});
