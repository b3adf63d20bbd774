import { protoEvent, type TypedEvent } from '../../core/index.ts';
import { EventAppCreated, EventFunctionSet, EventOwnerSet, EventRuleSet, EventValueWritten } from '../../proto/gen/ain/state/v1/events.ts';

/** The op that wrote a value, as `EventValueWritten.op` names it. */
export type ValueOp = 'set_value' | 'inc_value' | 'dec_value' | 'delete_value';

/** The state module's events: proto messages of `ain.state.v1`, turned into ABCI events by `protoEvent`. */
export const valueWrittenEvent = (path: string, writer: string, op: ValueOp): TypedEvent =>
  protoEvent(EventValueWritten, { path, writer, op });

export const ruleSetEvent = (path: string, signer: string): TypedEvent => protoEvent(EventRuleSet, { path, signer });

export const ownerSetEvent = (path: string, signer: string): TypedEvent => protoEvent(EventOwnerSet, { path, signer });

export const functionSetEvent = (path: string, signer: string): TypedEvent => protoEvent(EventFunctionSet, { path, signer });

export const appCreatedEvent = (name: string, admins: readonly string[]): TypedEvent =>
  protoEvent(EventAppCreated, { name, admins: [...admins] });
