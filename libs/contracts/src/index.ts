export * from './errors';
export * from './representation';
