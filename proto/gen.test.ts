/**
 * The generated protobuf code: it round-trips, its bytes are the protobuf wire format, CosmJS's
 * Registry takes it as is, and proto/gen is not stale relative to the .proto files.
 */
import { Registry } from '@cosmjs/proto-signing';
import { TxBody } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { describe, expect, it } from 'vitest';
import { check } from '../scripts/proto.mjs';
import { EventValueWritten } from './gen/ain/state/v1/events.ts';
import { Kind, QueryGetRequest, QueryGetResponse, QueryMatchRuleResponse } from './gen/ain/state/v1/query.ts';
import { MsgBatch, MsgCreateApp, MsgSetValue, Op } from './gen/ain/state/v1/tx.ts';

const SIGNER = 'ain1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5lzv7xu';

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

describe('generated protobuf code', () => {
  it('encodes MsgSetValue in the protobuf wire format and decodes it back', () => {
    const msg = MsgSetValue.fromPartial({ signer: 'a', path: '/b', value: '1' });
    const bytes = MsgSetValue.encode(msg).finish();
    // field 1 (tag 0x0a) "a", field 2 (0x12) "/b", field 3 (0x1a) "1"
    expect(hex(bytes)).toBe('0a0161' + '12022f62' + '1a0131');
    expect(MsgSetValue.decode(bytes)).toEqual(msg);
    expect(MsgSetValue.$type).toBe('ain.state.v1.MsgSetValue');
  });

  it('fills defaults in fromPartial and omits them on the wire', () => {
    const msg = MsgSetValue.fromPartial({});
    expect(msg).toEqual({ signer: '', path: '', value: '' });
    expect(MsgSetValue.encode(msg).finish()).toHaveLength(0);
  });

  it('round-trips a MsgBatch whose ops are a oneof', () => {
    const batch = MsgBatch.fromPartial({
      signer: SIGNER,
      ops: [
        { op: { $case: 'setValue', value: { path: '/apps/a/x', value: '{"n":1}' } } },
        { op: { $case: 'incValue', value: { path: '/apps/a/count', delta: '2' } } },
        { op: { $case: 'deleteValue', value: { path: '/apps/a/old' } } },
        { op: { $case: 'setRule', value: { path: '/apps/a', rule: '{"write":"auth.addr === \'x\'"}' } } },
      ],
    });
    const decoded = MsgBatch.decode(MsgBatch.encode(batch).finish());
    expect(decoded).toEqual(batch);
    expect(decoded.ops.map((op) => op.op?.$case)).toEqual(['setValue', 'incValue', 'deleteValue', 'setRule']);
    const first = decoded.ops[0]?.op;
    if (first?.$case !== 'setValue') throw new Error('expected a setValue op');
    expect(first.value.value).toBe('{"n":1}');
  });

  it('decodes an Op with no case set as an undefined oneof', () => {
    expect(Op.decode(new Uint8Array()).op).toBeUndefined();
  });

  it('carries int64 as bigint, bytes as Uint8Array, enums and maps', () => {
    const response = QueryGetResponse.fromPartial({ value: 'null', proof: new Uint8Array([1, 2, 3]), height: 2n ** 60n });
    const decoded = QueryGetResponse.decode(QueryGetResponse.encode(response).finish());
    expect(decoded.height).toBe(2n ** 60n);
    expect(decoded.proof).toEqual(new Uint8Array([1, 2, 3]));

    const request = QueryGetRequest.fromPartial({ path: '/apps/a', kind: Kind.KIND_RULE, depth: 1, prove: true });
    expect(QueryGetRequest.decode(QueryGetRequest.encode(request).finish())).toEqual(request);

    const match = QueryMatchRuleResponse.fromPartial({ matchedPath: '/apps/a/$user', rule: '{}', vars: { $user: 'bob' } });
    expect(QueryMatchRuleResponse.decode(QueryMatchRuleResponse.encode(match).finish()).vars).toEqual({ $user: 'bob' });
  });

  it('gives proto3 JSON for events', () => {
    const event = EventValueWritten.fromPartial({ path: '/apps/a/x', writer: SIGNER, op: 'set_value' });
    expect(EventValueWritten.toJSON(event)).toEqual({ path: '/apps/a/x', writer: SIGNER, op: 'set_value' });
  });

  it('plugs into a CosmJS Registry and a TxBody', () => {
    const registry = new Registry();
    registry.register(`/${MsgSetValue.$type}`, MsgSetValue);
    registry.register(`/${MsgBatch.$type}`, MsgBatch);
    registry.register('/ain.state.v1.MsgCreateApp', MsgCreateApp);

    const value = MsgSetValue.fromPartial({ signer: SIGNER, path: '/apps/a/x', value: '"hi"' });
    const bytes = registry.encode({ typeUrl: '/ain.state.v1.MsgSetValue', value });
    expect(bytes).toEqual(MsgSetValue.encode(value).finish());
    expect(registry.decode({ typeUrl: '/ain.state.v1.MsgSetValue', value: bytes })).toEqual(value);

    const app = { signer: SIGNER, name: 'chat', admins: [SIGNER], public: true };
    const body = registry.encodeTxBody({
      messages: [
        { typeUrl: '/ain.state.v1.MsgSetValue', value },
        { typeUrl: '/ain.state.v1.MsgCreateApp', value: app },
      ],
      memo: '',
    });
    const anys = TxBody.decode(body).messages;
    expect(anys.map((any) => any.typeUrl)).toEqual(['/ain.state.v1.MsgSetValue', '/ain.state.v1.MsgCreateApp']);
    expect(anys.map((any) => registry.decode(any))).toEqual([value, app]);
  });

  it('is up to date with the .proto files (npm run proto:check)', () => {
    expect(() => check()).not.toThrow();
  });
});
