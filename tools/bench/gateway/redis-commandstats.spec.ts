import { commandDelta, parseCommandStats } from './redis-commandstats';

const reading = (lines: string[]): string => ['# Commandstats', ...lines, ''].join('\r\n');

describe('Redis commandstats', () => {
  it('parses calls per command from INFO commandstats', () => {
    const calls = parseCommandStats(
      reading(['cmdstat_evalsha:calls=12,usec=300,usec_per_call=25.00,rejected_calls=0,failed_calls=0', 'cmdstat_hgetall:calls=3,usec=9']),
    );
    expect([...calls]).toEqual([
      ['evalsha', 12],
      ['hgetall', 3],
    ]);
  });

  it('reports the calls made between two readings, largest first, new commands included and idle ones left out', () => {
    const before = parseCommandStats(reading(['cmdstat_evalsha:calls=12', 'cmdstat_hgetall:calls=3', 'cmdstat_ping:calls=1']));
    const after = parseCommandStats(reading(['cmdstat_evalsha:calls=20', 'cmdstat_hgetall:calls=5', 'cmdstat_ping:calls=1', 'cmdstat_xadd:calls=16']));
    expect(commandDelta(before, after)).toEqual([
      ['xadd', 16],
      ['evalsha', 8],
      ['hgetall', 2],
    ]);
  });
});
