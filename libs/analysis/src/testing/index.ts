/** Test support: the sample photos and PNG headers declaring any size. */
export * from './png-header';
export * from './sample-photos';
