/**
 * Seeded pseudo-random numbers for the demo province. Math.random() would make every demo
 * different; a fixed seed gives the same names, dates and ids on every machine, so a bug
 * report ("Nguyễn Thị Lan in 6A1 …") can be reproduced.
 *
 * mulberry32: 32-bit state, fast, good enough for test data (not for anything secret).
 */
export type Rng = {
  /** Uniform in [0, 1). */
  next: () => number;
  /** Integer in [min, max], both inclusive. */
  int: (min: number, max: number) => number;
  chance: (p: number) => boolean;
  pick: <T>(items: readonly T[]) => T;
  shuffle: <T>(items: T[]) => T[];
};

export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    chance: (p) => next() < p,
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new RangeError('pick from an empty list');
      return items[Math.floor(next() * items.length)];
    },
    shuffle: <T>(items: T[]): T[] => {
      for (let i = items.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        const tmp = items[i];
        items[i] = items[j];
        items[j] = tmp;
      }
      return items;
    },
  };
}

/** A weighted choice, with the cumulative table built once (names are picked ~100k times). */
export type Weighted<T> = readonly (readonly [T, number])[];

export function weightedPicker<T>(items: Weighted<T>): (rng: Rng) => T {
  if (items.length === 0) throw new RangeError('weighted pick from an empty list');
  const values = items.map(([v]) => v);
  const cumulative: number[] = [];
  let total = 0;
  for (const [, w] of items) {
    total += w;
    cumulative.push(total);
  }
  return (rng) => {
    const x = rng.next() * total;
    // Linear scan: the lists are short (≤ 60 entries) and the common values come first.
    for (let i = 0; i < cumulative.length; i++) {
      if (x < cumulative[i]) return values[i];
    }
    return values[values.length - 1];
  };
}
