/** Test support: a plain HTTP server on loopback. */
export * from './loopback-server';
