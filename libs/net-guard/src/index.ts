export * from './ip-ranges';
export * from './assert-public-url';
export * from './send-pinned';
export * from './fetch-public';
