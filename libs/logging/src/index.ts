export { createLogger, type Logger, type LoggerOptions } from './create-logger';
export { logConnectionErrors } from './connection-errors';
