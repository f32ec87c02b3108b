/**
 * Shots of a video: a cut is where consecutive frames' coarse colour histograms differ much. A camera move or a
 * face turning changes a few percent of the histogram; a cut to another scene changes a large part of it. A shot
 * (the frames between two cuts) keeps one colour and lighting reference and one set of filters.
 */
import type { RgbImage } from '@facex/imaging';

/** Bins per channel: coarse, so that noise, compression and small motions stay inside their bins. */
const BINS = 4;
/** Every STEP-th pixel in both directions: a histogram needs no more. */
const STEP = 4;
/** Half the L1 distance of the histograms (0 same, 1 disjoint) above which two frames lie in different shots. */
export const CUT_DISTANCE = 0.3;

/** The frame's joint RGB histogram, BINS³ bins summing to 1. */
export function frameHistogram(frame: RgbImage): Float32Array {
  const counts = new Float32Array(BINS * BINS * BINS);
  const shift = 8 - Math.log2(BINS);
  let total = 0;
  for (let y = 0; y < frame.height; y += STEP) {
    for (let x = 0; x < frame.width; x += STEP) {
      const at = (y * frame.width + x) * 3;
      counts[((frame.data[at] >> shift) * BINS + (frame.data[at + 1] >> shift)) * BINS + (frame.data[at + 2] >> shift)] += 1;
      total += 1;
    }
  }
  for (let i = 0; i < counts.length; i++) counts[i] /= total;
  return counts;
}

export function histogramDistance(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i]);
  return sum / 2;
}

export function isCut(previous: Float32Array, next: Float32Array): boolean {
  return histogramDistance(previous, next) > CUT_DISTANCE;
}
