import { redisTarget } from './redis-url';

describe('redisTarget', () => {
  it('passes plain URLs through', () => {
    expect(redisTarget('redis://127.0.0.1:6379/2')).toEqual({ url: 'redis://127.0.0.1:6379/2' });
  });

  it('reads a Sentinel URL into sentinels, the master name, password and db', () => {
    expect(redisTarget('redis+sentinel://:s3cret@10.0.0.1:26379,10.0.0.2,[::1]:26380/mymaster?db=3')).toEqual({
      options: {
        sentinels: [
          { host: '10.0.0.1', port: 26379 },
          { host: '10.0.0.2', port: 26379 },
          { host: '::1', port: 26380 },
        ],
        name: 'mymaster',
        failoverDetector: true,
        password: 's3cret',
        db: 3,
      },
    });
  });

  it('refuses a Sentinel URL without a master name', () => {
    expect(() => redisTarget('redis+sentinel://10.0.0.1:26379')).toThrow(/master name/);
  });
});
