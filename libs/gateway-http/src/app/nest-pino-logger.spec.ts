import { Writable } from 'node:stream';
import pino from 'pino';
import { NestPinoLogger } from './nest-pino-logger';

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'trace' }, stream), lines };
}

describe('NestPinoLogger', () => {
  it("writes Nest's messages as JSON lines with their context, at the allowed levels only", () => {
    const { logger, lines } = capture();
    const nest = new NestPinoLogger(logger, ['error', 'warn', 'log']);
    nest.log('Nest application successfully started', 'NestApplication');
    nest.warn('slow route');
    nest.debug('not allowed');
    nest.verbose('not allowed either');
    expect(lines.map((line) => [line['level'], line['msg'], line['context']])).toEqual([
      [30, 'Nest application successfully started', 'NestApplication'],
      [40, 'slow route', undefined],
    ]);
  });

  it("keeps an error's stack and context", () => {
    const { logger, lines } = capture();
    new NestPinoLogger(logger, ['error']).error('handler failed', 'Error: boom\n    at x', 'ExceptionsHandler');
    expect(lines).toEqual([expect.objectContaining({ level: 50, msg: 'handler failed', stack: 'Error: boom\n    at x', context: 'ExceptionsHandler' })]);
    new NestPinoLogger(logger, ['error']).error(new Error('thrown'));
    expect(lines[1]).toMatchObject({ level: 50, msg: 'thrown', err: { message: 'thrown' } });
  });
});
