/** Test support: clips made from the sample photos with a known camera path. */
export * from './camera-path';
export * from './test-clip';
