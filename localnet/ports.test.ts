import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { freePorts, portFree, portOpen } from './ports.ts';

describe('freePorts', () => {
  it('never hands out a port twice across calls, as a localnet drawing four per node needs', async () => {
    // 400 single draws from ~22,700 ports: without the memory two would match in ~97% of runs.
    const drawn: number[] = [];
    for (let i = 0; i < 400; i++) drawn.push(...(await freePorts(1)));
    expect(new Set(drawn).size).toBe(400);
  });

  it('hands out ports below the ephemeral range that can be bound', async () => {
    const ports = await freePorts(8);
    expect(new Set(ports).size).toBe(8);
    for (const port of ports) {
      expect(port).toBeGreaterThanOrEqual(10_000);
      expect(await portFree(port)).toBe(true);
    }
  });

  it('tells a listening port from a free one', async () => {
    const [port] = await freePorts(1);
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    try {
      expect(await portOpen(port!)).toBe(true);
      expect(await portFree(port!)).toBe(false);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    expect(await portOpen(port!)).toBe(false);
  });
});
