export * from './metric-names';
export * from './create-metrics';
