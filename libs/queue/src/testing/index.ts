/** Test support: a Redis key namespace per test. */
export * from './redis-namespace';
