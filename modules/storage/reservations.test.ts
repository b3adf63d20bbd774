import { describe, expect, it } from 'vitest';
import { earned, GIB_SECONDS, reservationPrice, type StoredReservation } from './reservations.ts';

const reservation = (price: bigint): StoredReservation => ({
  id: 1n,
  client: 'c',
  provider: 'p',
  bytes: 1n,
  start: 1000n,
  end: 1300n,
  price,
  paid: 0n,
  refunded: 0n,
  status: 'active',
});

describe('reservation maths', () => {
  it('prices bytes x seconds x price per GiB-day, rounded up to a whole uain', () => {
    expect(reservationPrice(1n << 30n, 86_400n, 5n)).toBe(5n);
    expect(reservationPrice(1n << 30n, 1n, 86_400n)).toBe(1n);
    expect(reservationPrice(1n, 1n, 1n)).toBe(1n); // never free when the price is not
    expect(reservationPrice(1n, 1n, 0n)).toBe(0n);
    expect(reservationPrice(3n << 29n, 2n * 86_400n, 10n)).toBe(30n);
    expect(GIB_SECONDS).toBe(92_771_293_593_600n);
  });

  it('earns linearly, rounded down, all of it at the end', () => {
    const r = reservation(1000n);
    expect(earned(r, 900n)).toBe(0n);
    expect(earned(r, 1000n)).toBe(0n);
    expect(earned(r, 1001n)).toBe(3n); // 1000 x 1 / 300
    expect(earned(r, 1150n)).toBe(500n);
    expect(earned(r, 1299n)).toBe(996n);
    expect(earned(r, 1300n)).toBe(1000n);
    expect(earned(r, 5000n)).toBe(1000n);
  });
});
