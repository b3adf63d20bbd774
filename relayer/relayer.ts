/**
 * The relayer loop behind `aind shard relay`: every round, each chain's latest header is reported on
 * the other (so proofs can be checked at recent heights), then the packets both ways are delivered,
 * acknowledged or timed out. It holds no state of its own: what to do next is read from the chains,
 * so it can be killed and restarted at any time, and several relayers can run side by side (the
 * chains refuse the second copy of anything, before any costly check).
 */
import type { OfflineSigner } from '@cosmjs/proto-signing';
import { AinError, ErrIO } from '../core/index.ts';
import { connectEnds, type Ends } from './ends.ts';
import { reportLatest, type ReportResult } from './headers.ts';
import { type PacketStep, relayPackets } from './packets.ts';

/** While waiting for a node, one log line this often. */
const WAITING_LOG_MS = 10_000;

export interface RelayerOptions {
  readonly parentUrl: string;
  readonly childUrl: string;
  readonly signer: OfflineSigner;
  readonly gasPrice?: string;
  /** Pause between rounds (default 1000 ms). */
  readonly intervalMs?: number;
  /** One line per thing done (reports, packets, errors). */
  readonly log?: (line: string) => void;
  /** How long to wait for a node that cannot be reached at start (default: as long as it takes). */
  readonly connectTimeoutMs?: number;
}

/** What one round did. */
export interface RoundResult {
  readonly childOnParent: ReportResult;
  readonly parentOnChild: ReportResult;
  readonly packets: readonly PacketStep[];
}

/** One round: reports both ways, then packets both ways. */
export async function relayRound(ends: Ends): Promise<RoundResult> {
  const childOnParent = await reportLatest(ends.child, ends.parent, ends.shard);
  const parentOnChild = await reportLatest(ends.parent, ends.child, ends.child.link);
  const packets = [...(await relayPackets(ends.parent, ends.child)), ...(await relayPackets(ends.child, ends.parent))];
  return { childOnParent, parentOnChild, packets };
}

export interface Relayer {
  readonly shard: string;
  /** Resolves when the loop has stopped (after `stop`). */
  readonly done: Promise<void>;
  stop(): Promise<void>;
}

function describe(direction: string, result: ReportResult): string | undefined {
  if (result.kind === 'reported')
    return `${direction}: reported height ${result.height} (fee ${result.fee}uain, gas ${result.gasUsed}, ${result.bytes} bytes)`;
  if (result.kind === 'frozen') return `${direction}: link frozen at ${result.height}; waiting for its admin to unfreeze it`;
  return undefined;
}

/**
 * Connects both ends, waiting while a node cannot be reached (`sdk/39`: a chain still starting, or
 * restarting), so a relayer started beside its nodes does not exit before they answer. Anything else
 * (a child of another parent, a chain with no parent link) fails at once.
 */
async function connectWhenReachable(options: RelayerOptions, log: (line: string) => void): Promise<Ends> {
  const started = Date.now();
  let logged = 0;
  for (;;) {
    try {
      return await connectEnds({
        parentUrl: options.parentUrl,
        childUrl: options.childUrl,
        signer: options.signer,
        ...(options.gasPrice === undefined ? {} : { gasPrice: options.gasPrice }),
      });
    } catch (error) {
      if (!(error instanceof AinError && error.is(ErrIO))) throw error;
      if (options.connectTimeoutMs !== undefined && Date.now() - started >= options.connectTimeoutMs) throw error;
      if (Date.now() - logged >= WAITING_LOG_MS) {
        log(`waiting for the chains: ${error.message.split('\n')[0]}`);
        logged = Date.now();
      }
      await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 1000));
    }
  }
}

/** Connects (waiting for nodes still starting) and runs rounds until stopped; a failed round is logged and retried. */
export async function startRelayer(options: RelayerOptions): Promise<Relayer> {
  const log = options.log ?? (() => {});
  const ends = await connectWhenReachable(options, log);
  log(`relaying shard ${ends.shard}: ${ends.parent.chainId} (${options.parentUrl}) <-> ${ends.child.chainId} (${options.childUrl})`);
  let stopping = false;
  let wake: (() => void) | undefined;
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  const done = (async () => {
    while (!stopping) {
      try {
        const round = await relayRound(ends);
        for (const line of [
          describe(`${ends.child.chainId} -> ${ends.parent.chainId}`, round.childOnParent),
          describe(`${ends.parent.chainId} -> ${ends.child.chainId}`, round.parentOnChild),
        ])
          if (line) log(line);
        for (const step of round.packets) log(`packet ${step.sequence} from ${step.from}: ${step.kind}`);
      } catch (error) {
        log(`round failed: ${(error as Error).message.split('\n')[0]}`);
      }
      if (!stopping) await pause(options.intervalMs ?? 1000);
    }
    ends.close();
  })();
  return {
    shard: ends.shard,
    done,
    async stop() {
      stopping = true;
      wake?.();
      await done;
    },
  };
}
