import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import { createLogger, logConnectionErrors } from './index';

function capture(): { stream: Writable; lines: () => Array<Record<string, unknown>> } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return {
    stream,
    lines: () =>
      chunks
        .join('')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

describe('createLogger', () => {
  it('writes one JSON object per line naming the component, at the level asked', () => {
    const out = capture();
    const logger = createLogger('sweeper', { level: 'info', destination: out.stream });
    logger.debug('hidden');
    logger.error({ err: new Error('disk full') }, 'sweep failed');
    expect(out.lines()).toEqual([
      expect.objectContaining({ component: 'sweeper', msg: 'sweep failed', level: 50, err: expect.objectContaining({ message: 'disk full' }) }),
    ]);
  });

  it('is silent under jest unless LOG_LEVEL says otherwise', () => {
    expect(createLogger('x', { env: { JEST_WORKER_ID: '1' } }).level).toBe('silent');
    expect(createLogger('x', { env: { JEST_WORKER_ID: '1', LOG_LEVEL: 'debug' } }).level).toBe('debug');
    expect(createLogger('x', { env: {} }).level).toBe('info');
  });
});

describe('logConnectionErrors', () => {
  it('logs the first error of an outage, counts the retries, and logs the recovery once', () => {
    const out = capture();
    const client = new EventEmitter();
    logConnectionErrors(client, createLogger('gateway', { level: 'info', destination: out.stream }), 'redis');
    for (let i = 0; i < 5; i++) client.emit('error', new Error('ECONNREFUSED'));
    client.emit('ready');
    client.emit('ready');
    client.emit('error', new Error('ETIMEDOUT'));
    expect(out.lines().map((line) => [line['level'], line['msg'], line['repeats']])).toEqual([
      [40, 'redis: connection error (retrying)', undefined],
      [30, 'redis: connected again', 4],
      [40, 'redis: connection error (retrying)', undefined],
    ]);
  });
});
