/** Test support: synthetic faces and probes of assembled masks. */
export * from './probes';
export * from './synthetic-face';
