import { BaseAccount } from 'cosmjs-types/cosmos/auth/v1beta1/auth';
import { Grant } from 'cosmjs-types/cosmos/authz/v1beta1/authz';
import { QueryAccountResponse } from 'cosmjs-types/cosmos/auth/v1beta1/query';
import { QueryAllBalancesResponse } from 'cosmjs-types/cosmos/bank/v1beta1/query';
import { LegacyAminoPubKey } from 'cosmjs-types/cosmos/crypto/multisig/keys';
import { PubKey } from 'cosmjs-types/cosmos/crypto/secp256k1/keys';
import { SimulateResponse } from 'cosmjs-types/cosmos/tx/v1beta1/service';
import { Any } from 'cosmjs-types/google/protobuf/any';
import { CommitSig } from 'cosmjs-types/tendermint/types/types';
import { describe, expect, it } from 'vitest';
import { QueryFundResponse, QueryProposalsResponse } from '../proto/gen/ain/committee/v1/query.ts';
import { QueryParamsResponse } from '../proto/gen/ain/compute/v1/query.ts';
import { Params } from '../proto/gen/ain/compute/v1/types.ts';
import { type AnyTypes, defaultAnyTypes, formatTimestamp, parseTimestamp, toProtoJson } from './protoJson.ts';

const key = new Uint8Array(33).fill(2);
const keyB64 = Buffer.from(key).toString('base64');

function account(withKey: boolean) {
  return QueryAccountResponse.decode(
    QueryAccountResponse.encode({
      account: {
        typeUrl: '/cosmos.auth.v1beta1.BaseAccount',
        value: BaseAccount.encode({
          address: 'ain1abc',
          accountNumber: 3n,
          sequence: 12345678901234567n,
          ...(withKey ? { pubKey: { typeUrl: '/cosmos.crypto.secp256k1.PubKey', value: PubKey.encode({ key }).finish() } } : {}),
        }).finish(),
      },
    }).finish(),
  );
}

/** The auth module's account type with the default key types, as the app joins them. */
const ACCOUNT_TYPES: AnyTypes = new Map([...defaultAnyTypes, ['/cosmos.auth.v1beta1.BaseAccount', BaseAccount]]);

describe('toProtoJson', () => {
  it('prints snake_case names, 64-bit ints as strings and Any unpacked with @type', () => {
    expect(toProtoJson(QueryAccountResponse, account(true), ACCOUNT_TYPES)).toEqual({
      account: {
        '@type': '/cosmos.auth.v1beta1.BaseAccount',
        address: 'ain1abc',
        pub_key: { '@type': '/cosmos.crypto.secp256k1.PubKey', key: keyB64 },
        account_number: '3',
        sequence: '12345678901234567',
      },
    });
  });

  it('prints an absent message as null, as the gateway does', () => {
    expect(toProtoJson(QueryAccountResponse, account(false), ACCOUNT_TYPES)).toEqual({
      account: {
        '@type': '/cosmos.auth.v1beta1.BaseAccount',
        address: 'ain1abc',
        pub_key: null,
        account_number: '3',
        sequence: '12345678901234567',
      },
    });
    expect(toProtoJson(QueryAccountResponse, QueryAccountResponse.decode(new Uint8Array()))).toEqual({ account: null });
  });

  it('prints empty bytes as null and keeps repeated fields as arrays', () => {
    const response = QueryAllBalancesResponse.decode(
      QueryAllBalancesResponse.encode({
        balances: [{ denom: 'uain', amount: '5' }],
        pagination: { nextKey: new Uint8Array(), total: 1n },
      }).finish(),
    );
    expect(toProtoJson(QueryAllBalancesResponse, response)).toEqual({
      balances: [{ denom: 'uain', amount: '5' }],
      pagination: { next_key: null, total: '1' },
    });
  });

  it("prints an empty repeated field of our own messages as [] (their toJSON drops it; the gateway's EmitDefaults prints it)", () => {
    const empty = QueryProposalsResponse.decode(
      QueryProposalsResponse.encode({ proposals: [], pagination: { nextKey: new Uint8Array(), total: 0n } }).finish(),
    );
    expect(toProtoJson(QueryProposalsResponse, empty)).toEqual({ proposals: [], pagination: { next_key: null, total: '0' } });
    // Strings, bools and 64-bit ints at their defaults print too; a 32-bit int or enum at 0 does not.
    const fund = QueryFundResponse.decode(QueryFundResponse.encode({ address: '', balances: [] }).finish());
    expect(toProtoJson(QueryFundResponse, fund)).toEqual({ address: '', balances: [] });
    // Compute switched off: `enabled: false`, not left out.
    expect(toProtoJson(QueryParamsResponse, QueryParamsResponse.decode(new Uint8Array()))).toEqual({ params: null, enabled: false });
    const zero = QueryParamsResponse.decode(
      QueryParamsResponse.encode({ params: Params.fromPartial({ epochBlocks: 0n }), enabled: false }).finish(),
    );
    expect(toProtoJson(QueryParamsResponse, zero)).toMatchObject({ params: { epoch_blocks: '0', average_weight: '' }, enabled: false });
  });

  it('prints an unknown Any packed, and Any that do not decode packed', () => {
    const response = SimulateResponse.fromPartial({
      gasInfo: { gasWanted: 1n, gasUsed: 2n },
      result: {
        data: new Uint8Array([1, 2]),
        log: '',
        events: [],
        msgResponses: [
          { typeUrl: '/ain.jobs.v1.MsgRequestJobResponse', value: new Uint8Array([8, 1]) },
          { typeUrl: '/cosmos.crypto.secp256k1.PubKey', value: new Uint8Array([0xff, 0xff]) },
        ],
      },
    });
    expect(toProtoJson(SimulateResponse, response)).toEqual({
      gas_info: { gas_wanted: '1', gas_used: '2' },
      result: {
        data: 'AQI=',
        log: '',
        events: [],
        msg_responses: [
          { '@type': '/ain.jobs.v1.MsgRequestJobResponse', value: 'CAE=' },
          { '@type': '/cosmos.crypto.secp256k1.PubKey', value: '//8=' },
        ],
      },
    });
  });

  it('unpacks nested Any (multisig keys) and accepts extra types', () => {
    const inner = { typeUrl: '/cosmos.crypto.secp256k1.PubKey', value: PubKey.encode({ key }).finish() };
    const multisig = {
      typeUrl: '/cosmos.crypto.multisig.LegacyAminoPubKey',
      value: LegacyAminoPubKey.encode({ threshold: 1, publicKeys: [inner] }).finish(),
    };
    const message = BaseAccount.fromPartial({ address: 'ain1m', pubKey: multisig });
    expect(toProtoJson(BaseAccount, message)).toEqual({
      address: 'ain1m',
      pub_key: {
        '@type': '/cosmos.crypto.multisig.LegacyAminoPubKey',
        threshold: 1,
        public_keys: [{ '@type': '/cosmos.crypto.secp256k1.PubKey', key: keyB64 }],
      },
      account_number: '0',
      sequence: '0',
    });
    const custom = new Map([['/test.Key', PubKey]]);
    expect(
      toProtoJson(
        BaseAccount,
        BaseAccount.fromPartial({ pubKey: { typeUrl: '/test.Key', value: PubKey.encode({ key }).finish() } }),
        custom,
      ),
    ).toMatchObject({
      pub_key: { '@type': '/test.Key', key: keyB64 },
    });
  });

  it('prints enums by name and timestamps with their nanoseconds', () => {
    const sig = CommitSig.fromPartial({
      blockIdFlag: 2,
      validatorAddress: new Uint8Array([0xab]),
      timestamp: { seconds: 1714564800n, nanos: 123456789 },
      signature: new Uint8Array(),
    });
    expect(toProtoJson(CommitSig, sig)).toEqual({
      block_id_flag: 'BLOCK_ID_FLAG_COMMIT',
      validator_address: 'qw==',
      timestamp: '2024-05-01T12:00:00.123456789Z',
      signature: null,
    });
  });
});

describe('timestamps', () => {
  it('formats with 0, 3, 6 or 9 fractional digits', () => {
    expect(formatTimestamp({ seconds: 1714564800n, nanos: 0 })).toBe('2024-05-01T12:00:00Z');
    expect(formatTimestamp({ seconds: 1714564800n, nanos: 120_000_000 })).toBe('2024-05-01T12:00:00.120Z');
    expect(formatTimestamp({ seconds: 1714564800n, nanos: 123_400 })).toBe('2024-05-01T12:00:00.000123400Z');
    expect(formatTimestamp({ seconds: 1714564800n, nanos: 123_000 })).toBe('2024-05-01T12:00:00.000123Z');
    expect(formatTimestamp({ seconds: -62135596800n, nanos: 0 })).toBe('0001-01-01T00:00:00Z');
    expect(formatTimestamp({ seconds: 253402300799n, nanos: 0 })).toBe('9999-12-31T23:59:59Z');
  });

  it('prints "" for a Timestamp outside years 1 to 9999 (it printed "+010000-01-01T00:00Z", and toProtoJson threw RangeError)', () => {
    expect(formatTimestamp({ seconds: 253402300800n, nanos: 0 })).toBe('');
    expect(formatTimestamp({ seconds: -62135596801n, nanos: 0 })).toBe('');
    const far = { seconds: 2n ** 62n, nanos: 0 };
    expect(toProtoJson(Grant, Grant.fromPartial({ expiration: far }))).toEqual({ authorization: null, expiration: '' });
    // Inside an Any, as a tx carries a message.
    const types: AnyTypes = new Map([...defaultAnyTypes, ['/cosmos.authz.v1beta1.Grant', Grant]]);
    const packed = { typeUrl: '/cosmos.authz.v1beta1.Grant', value: Grant.encode(Grant.fromPartial({ expiration: far })).finish() };
    expect(toProtoJson(Any, Any.fromPartial(packed), types)).toEqual({
      '@type': '/cosmos.authz.v1beta1.Grant',
      authorization: null,
      expiration: '',
    });
  });

  it('parses CometBFT times without losing nanoseconds', () => {
    expect(parseTimestamp('2024-05-01T12:00:00.123456789Z')).toEqual({ seconds: 1714564800n, nanos: 123456789 });
    expect(parseTimestamp('2024-05-01T12:00:00Z')).toEqual({ seconds: 1714564800n, nanos: 0 });
    expect(parseTimestamp('2024-05-01T14:00:00.5+02:00')).toEqual({ seconds: 1714564800n, nanos: 500_000_000 });
    expect(parseTimestamp('0001-01-01T00:00:00Z')).toEqual({ seconds: -62135596800n, nanos: 0 });
    expect(parseTimestamp('yesterday')).toBeUndefined();
  });

  it('refuses dates and times that do not exist (June 31 was read as July 1, 24:00 as the next day)', () => {
    expect(parseTimestamp('0001-06-31T00:00:00Z')).toBeUndefined();
    expect(parseTimestamp('2023-02-29T00:00:00Z')).toBeUndefined();
    expect(parseTimestamp('2024-01-01T24:00:00Z')).toBeUndefined();
    expect(parseTimestamp('2024-01-01T00:00:00+24:00')).toBeUndefined();
    expect(parseTimestamp('2024-02-29T23:59:59-23:59')).toEqual({ seconds: 1709337539n, nanos: 0 });
  });
});
