export * from './errors';
export * from './representation';
export * from './recipes';
export * from './representation-codec';
export * from './edits';
export * from './jobs';
export * from './webhooks';
