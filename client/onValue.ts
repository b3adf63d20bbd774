/**
 * `watchValue`: what `ref(path).on('value', cb)` runs. The current value first, then the value after
 * each block in which a write touched the path (the path itself, a node above it that replaced its
 * subtree, or one below it), read at that block's height, once per change and in height order. It
 * rides on {@link onEvent}, so a lost connection costs nothing: the blocks committed meanwhile are
 * caught up on reconnect.
 */
import { ainError, ErrInvalidRequest } from '../core/index.ts';
import { type ChainEvent, type EventListener, onEvent } from './onEvent.ts';
import { QueryError } from './errors.ts';
import { queryGet, type StateQuerier, type StateSnapshot } from './queryState.ts';

/** The event type and attribute the state module writes for every value written. */
const VALUE_WRITTEN = 'ain.state.v1.EventValueWritten';

export interface OnValueOptions {
  /** Called when a read or the connection fails; the listener carries on. */
  readonly onError?: ((error: Error) => void) | undefined;
  /** Reconnect and ping settings of the listener underneath ({@link onEvent}). */
  readonly reconnectMinMs?: number | undefined;
  readonly reconnectMaxMs?: number | undefined;
  readonly pingMs?: number | undefined;
}

/**
 * Calls `callback` with the value at `path` now and after every block that changed it.
 * @example
 * const listener = watchValue({ comet, rpcUrl }, '/apps/chat/posts', (s) => console.log(s.height, s.value));
 * listener.stop();
 */
export function watchValue(
  ctx: { readonly comet: StateQuerier; readonly rpcUrl: string },
  path: string,
  callback: (snapshot: StateSnapshot) => void,
  options: OnValueOptions = {},
): EventListener {
  const labels = path.split('/').filter((l) => l !== '');
  if (labels.length === 0) throw ainError(ErrInvalidRequest, 'path must name a node below the root, e.g. /apps/chat');
  if (labels.some((l) => l.includes("'"))) throw ainError(ErrInvalidRequest, `path ${path} must not contain a quote`);
  const normal = `/${labels.join('/')}`;
  // The query names the path's first two labels (e.g. /apps/chat): every write that can touch the path
  // has them, as the writes above it within that subtree do; the exact relation is checked below.
  const scope = `/${labels.slice(0, 2).join('/')}`;
  let stopped = false;
  let lastHeight = 0;
  let queue: Promise<void> = Promise.resolve();
  let inner: EventListener | undefined;
  const report = (error: unknown) => options.onError?.(error as Error);
  const pause = () => new Promise((resolve) => setTimeout(resolve, options.reconnectMinMs ?? 250));
  /** Reads the value at a block that touched the path; retries while the node cannot be reached. */
  const read = async (height: number): Promise<void> => {
    while (!stopped && height > lastHeight) {
      try {
        const snapshot = await queryGet(ctx.comet, { path: normal, kind: 'value', height });
        if (stopped || snapshot.height <= lastHeight) return;
        lastHeight = snapshot.height;
        callback(snapshot);
        return;
      } catch (error) {
        report(error);
        // The node answered (e.g. a height it no longer keeps): asking again would not help.
        if (error instanceof QueryError) return;
        await pause();
      }
    }
  };
  const ready = (async () => {
    // The first read fixes the start: later blocks come from the listener.
    let start: number;
    for (;;) {
      try {
        const snapshot = await queryGet(ctx.comet, { path: normal, kind: 'value' });
        start = snapshot.height;
        if (!stopped) {
          lastHeight = start;
          callback(snapshot);
        }
        break;
      } catch (error) {
        report(error);
        if (stopped) return;
        await pause();
      }
    }
    if (stopped) return;
    inner = onEvent(
      ctx.rpcUrl,
      `${VALUE_WRITTEN}.path CONTAINS '${scope}'`,
      (event) => {
        if (!touches(event, normal)) return;
        queue = queue.then(() => read(event.height)).catch(report);
      },
      { ...options, afterHeight: start },
    );
    await inner.ready;
  })();
  return {
    ready,
    lastHeight: () => lastHeight,
    stop: () => {
      stopped = true;
      inner?.stop();
    },
  };
}

/** Whether a transaction wrote the path, a node above it or one below it. */
export function touches(event: ChainEvent, path: string): boolean {
  return event.events.some(
    (e) =>
      e.type === VALUE_WRITTEN &&
      e.attributes.some(
        (a) =>
          a.key === 'path' && (a.value === path || a.value.startsWith(`${path}/`) || path.startsWith(`${a.value.replace(/\/+$/, '')}/`)),
      ),
  );
}
