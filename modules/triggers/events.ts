import { protoEvent, type TypedEvent } from '../../core/index.ts';
import {
  EventCallExpired,
  EventExecutorRegistered,
  EventFunctionCalled,
  EventNativeFunctionRun,
  EventResultRefused,
  EventResultSkipped,
  EventResultSubmitted,
} from '../../proto/gen/ain/triggers/v1/events.ts';

/** The triggers module's events: proto messages of `ain.triggers.v1`, turned into ABCI events by `protoEvent`. */
export const functionCalledEvent = (event: EventFunctionCalled): TypedEvent => protoEvent(EventFunctionCalled, event);

export const nativeFunctionRunEvent = (event: EventNativeFunctionRun): TypedEvent => protoEvent(EventNativeFunctionRun, event);

export const resultSubmittedEvent = (callId: bigint, executor: string, failed: boolean): TypedEvent =>
  protoEvent(EventResultSubmitted, { callId, executor, failed });

export const callExpiredEvent = (callId: bigint, caller: string, refund: string): TypedEvent =>
  protoEvent(EventCallExpired, { callId, caller, refund });

export const executorRegisteredEvent = (executor: string, runtimes: readonly string[]): TypedEvent =>
  protoEvent(EventExecutorRegistered, { executor, runtimes: [...runtimes] });

export const resultSkippedEvent = (callId: bigint, executor: string, reason: string): TypedEvent =>
  protoEvent(EventResultSkipped, { callId, executor, reason });

export const resultRefusedEvent = (callId: bigint, executor: string, reason: string): TypedEvent =>
  protoEvent(EventResultRefused, { callId, executor, reason });
