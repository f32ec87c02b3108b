import { FacexError, isFacexError } from '@facex/contracts';
import { assertPublicUrl, type Resolver } from './assert-public-url';
import { blockedRangeOf } from './ip-ranges';

const resolvesTo =
  (...addresses: string[]): Resolver =>
  async () =>
    addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

async function refusal(url: string, resolver: Resolver = resolvesTo('93.184.216.34')): Promise<FacexError> {
  try {
    await assertPublicUrl(url, { resolver });
  } catch (error) {
    if (isFacexError(error)) return error;
    throw error;
  }
  throw new Error(`${url} was accepted`);
}

describe('blockedRangeOf', () => {
  it.each([
    ['0.1.2.3', 'this-network'],
    ['10.20.30.40', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['169.254.169.254', 'link-local'],
    ['100.64.0.1', 'carrier-grade-nat'],
    ['100.127.255.255', 'carrier-grade-nat'],
    ['192.0.2.5', 'documentation'],
    ['198.18.0.1', 'benchmarking'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456::1', 'unique-local'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'ipv4-mapped loopback'],
    ['::ffff:7f00:1', 'ipv4-mapped loopback'],
    ['::ffff:169.254.169.254', 'ipv4-mapped link-local'],
    ['64:ff9b::a9fe:a9fe', 'nat64 link-local'],
    ['64:ff9b::10.0.0.1', 'nat64 private'],
    ['2002:7f00:1::', '6to4 loopback'],
    ['::127.0.0.1', 'ipv4-compatible'],
    ['2001:db8::1', 'documentation'],
    ['2a00:1450::1', null],
    ['4000::1', 'not-global-unicast'],
    ['localhost', 'not-an-ip'],
  ])('%s is %s', (address, range) => {
    expect(blockedRangeOf(address)).toBe(range);
  });

  it.each(['8.8.8.8', '93.184.216.34', '172.32.0.1', '100.128.0.1', '2606:4700::1111', '::ffff:8.8.8.8', '64:ff9b::808:808'])(
    'lets public address %s through',
    (address) => {
      expect(blockedRangeOf(address)).toBeNull();
    },
  );
});

describe('assertPublicUrl', () => {
  it.each([
    ['http://169.254.169.254/latest/meta-data/', 'link-local'],
    ['http://127.0.0.1/', 'loopback'],
    ['http://[::1]/', 'loopback'],
    ['http://[::ffff:127.0.0.1]/', 'ipv4-mapped loopback'],
    ['http://0x7f000001/', 'loopback'],
    ['http://2130706433/', 'loopback'],
    ['http://0177.0.0.1/', 'loopback'],
    ['http://127.1/', 'loopback'],
    ['http://0/', 'this-network'],
    ['http://0xa9fea9fe/', 'link-local'],
    ['http://[fd00::1]:8080/', 'unique-local'],
  ])('refuses %s as %s without asking DNS', async (url, range) => {
    const error = await refusal(url, () => Promise.reject(new Error('DNS must not be asked for an IP literal')));
    expect(error.code).toBe('url_not_allowed');
    expect(error.status).toBe(422);
    expect(error.details).toMatchObject({ field: 'url', reason: 'blocked_address', range });
  });

  it('refuses http://localhost/ because it resolves to loopback', async () => {
    const error = await refusal('http://localhost/', resolvesTo('127.0.0.1', '::1'));
    expect(error.details).toMatchObject({ reason: 'blocked_address', range: 'loopback' });
  });

  it('refuses a hostname when any one of its addresses is private', async () => {
    const error = await refusal('https://mixed.example/', resolvesTo('93.184.216.34', '10.0.0.7'));
    expect(error.details).toMatchObject({ address: '10.0.0.7', range: 'private' });
  });

  it('accepts a public hostname and pins its first checked address', async () => {
    const target = await assertPublicUrl('https://images.example/cat.jpg', {
      resolver: resolvesTo('93.184.216.34', '2606:2800:220:1::'),
    });
    expect(target).toMatchObject({ address: '93.184.216.34', family: 4 });
    expect(target.url.hostname).toBe('images.example');
  });

  it.each([
    ['ftp://example.com/a.jpg', 'scheme'],
    ['file:///etc/passwd', 'scheme'],
    ['gopher://example.com/', 'scheme'],
    ['http://user:pass@example.com/', 'credentials'],
    ['http://user@example.com/', 'credentials'],
    ['http://example.com:22/', 'port'],
    ['http://example.com:6379/', 'port'],
    ['not a url', 'invalid_url'],
    ['/relative/path', 'invalid_url'],
  ])('refuses %s (%s)', async (url, reason) => {
    const error = await refusal(url);
    expect(error.code).toBe('url_not_allowed');
    expect(error.details).toMatchObject({ reason });
  });

  it('names the caller field in the message', async () => {
    await expect(assertPublicUrl('http://10.0.0.1/', { field: 'webhook.url' })).rejects.toThrow(/^webhook\.url: /);
  });

  it('reports a hostname without DNS records as unresolvable (a 422), not a refusal', async () => {
    const failing: Resolver = () => Promise.reject(Object.assign(new Error('nope'), { code: 'ENOTFOUND' }));
    const error = await refusal('https://nowhere.invalid/', failing);
    expect([error.code, error.status]).toEqual(['url_unresolvable', 422]);
    expect(error.details).toMatchObject({ reason: 'dns', cause: 'ENOTFOUND' });
  });

  it('reports a failing resolver (not an answer about the name) as a failed fetch (502)', async () => {
    const failing: Resolver = () => Promise.reject(Object.assign(new Error('try again'), { code: 'EAI_AGAIN' }));
    const error = await refusal('https://example.com/', failing);
    expect([error.code, error.status]).toEqual(['url_fetch_failed', 502]);
  });

  it('gives up on a resolver that outlasts the deadline, reporting a timeout', async () => {
    const hanging: Resolver = () => new Promise(() => undefined);
    const started = Date.now();
    const error = await assertPublicUrl('https://slow-dns.example/', { resolver: hanging }, AbortSignal.timeout(50)).catch((e: unknown) => e);
    expect(isFacexError(error, 'url_fetch_timeout')).toBe(true);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('lets loopback through only with the explicit allowPrivate escape hatch', async () => {
    await expect(assertPublicUrl('http://127.0.0.1/')).rejects.toThrow(FacexError);
    const target = await assertPublicUrl('http://127.0.0.1/', { allowPrivate: true });
    expect(target.address).toBe('127.0.0.1');
  });

  it('lets through only the named ranges when allowPrivate lists them', async () => {
    const policy = { allowPrivate: ['loopback'] };
    await expect(assertPublicUrl('http://127.0.0.1/', policy)).resolves.toMatchObject({ address: '127.0.0.1' });
    await expect(assertPublicUrl('http://169.254.169.254/', policy)).rejects.toMatchObject({ code: 'url_not_allowed' });
  });
});
