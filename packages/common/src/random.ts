/**
 * Seeded pseudo-random numbers. Everything that must be reproducible from a
 * run's seed (data order, generated datasets, initial weights) draws from
 * here, never from Math.random.
 */

/** A source of uniform floats in [0, 1). */
export type Random = () => number;

/** Mixes a 32-bit seed with a stream label so related streams differ. */
export function deriveSeed(seed: number, stream: string): number {
  let hash = (seed ^ 0x9e3779b9) >>> 0;
  for (let i = 0; i < stream.length; i += 1) {
    hash = Math.imul(hash ^ stream.charCodeAt(i), 0x85ebca6b) >>> 0;
    hash ^= hash >>> 13;
  }
  return hash >>> 0;
}

/** mulberry32: small, fast and good enough for shuffles and synthetic data. */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal draw (Box-Muller). */
export function normal(random: Random): number {
  const u = Math.max(random(), Number.EPSILON);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** A permutation of 0..n-1, the same for the same seed. */
export function permutation(n: number, seed: number): Uint32Array {
  const random = createRandom(seed);
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i += 1) order[i] = i;
  for (let i = n - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    const held = order[i]!;
    order[i] = order[j]!;
    order[j] = held;
  }
  return order;
}
