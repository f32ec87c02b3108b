import { FacexError } from '@facex/contracts';

/**
 * Seeded standard-normal noise: xoshiro128** (Blackman & Vigna) for uniform 32-bit words, Box-Muller for
 * N(0, 1). Its state is seeded from (seed, stream) through a Weyl sequence finished by the murmur3 fmix32
 * mixer, so one job seed gives independent streams for its initial latents, DDIM's η noise and the fusion
 * noise, and turning one feature on never shifts another's numbers. Everything is integer arithmetic plus
 * Math.log/cos/sin, so one seed gives the same bits every run on one machine (and one Node version).
 */
export const NOISE_STREAMS = { initialLatents: 1, ddimEta: 2, fusion: 3 } as const;
export type NoiseStream = keyof typeof NOISE_STREAMS;

/** Largest accepted seed: any non-negative safe integer works. */
export const MAX_SEED = Number.MAX_SAFE_INTEGER;

const TWO_POW_32 = 4294967296;
const GOLDEN_GAMMA = 0x9e3779b9;

export function assertValidSeed(seed: number, field = 'seed'): void {
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new FacexError('invalid_recipe', `${field} must be an integer in 0…${MAX_SEED}, got ${seed}`, { field });
  }
}

export class GaussianNoise {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  /** Box-Muller yields pairs; the second value waits here for the next draw. */
  private spare = 0;
  private hasSpare = false;

  constructor(seed: number, stream: NoiseStream) {
    assertValidSeed(seed);
    let weyl = (fmix32((seed >>> 0) ^ fmix32(Math.floor(seed / TWO_POW_32))) ^ Math.imul(NOISE_STREAMS[stream], GOLDEN_GAMMA)) >>> 0;
    const nextSeedWord = (): number => {
      weyl = (weyl + GOLDEN_GAMMA) >>> 0;
      return fmix32(weyl);
    };
    this.s0 = nextSeedWord();
    this.s1 = nextSeedWord();
    this.s2 = nextSeedWord();
    this.s3 = nextSeedWord();
    // xoshiro's only forbidden state is all zeros.
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** The next uniform 32-bit word (xoshiro128**). */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const shifted = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= shifted;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** One N(0, 1) draw. */
  nextGaussian(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    // u1 ∈ (0, 1] keeps the log finite; u2 ∈ [0, 1).
    const u1 = (this.nextUint32() + 1) / TWO_POW_32;
    const u2 = this.nextUint32() / TWO_POW_32;
    const radius = Math.sqrt(-2 * Math.log(u1));
    const angle = 2 * Math.PI * u2;
    this.spare = radius * Math.sin(angle);
    this.hasSpare = true;
    return radius * Math.cos(angle);
  }

  /** Fills `out` with N(0, 1) draws and returns it. */
  fill(out: Float32Array): Float32Array {
    for (let i = 0; i < out.length; i++) out[i] = this.nextGaussian();
    return out;
  }
}

function rotl(value: number, bits: number): number {
  return (value << bits) | (value >>> (32 - bits));
}

/** murmur3's 32-bit finalizer: a bijective mixer that spreads every input bit over the output. */
function fmix32(value: number): number {
  let h = value >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
