import { gatewayConfigFromEnv, generatorsFromEnv, urlPolicyOf } from './gateway-config';

describe('gatewayConfigFromEnv', () => {
  it('defaults to a safe local gateway: no private URLs, no random weights', () => {
    const config = gatewayConfigFromEnv({});
    expect(config).toMatchObject({ port: 3000, redisUrl: 'redis://127.0.0.1:6379', allowPrivateUrls: false, allowRandomWeights: false });
    expect(urlPolicyOf(config, 'url')).toMatchObject({ allowPrivate: false, allowedPorts: [80, 443, 8080, 8443] });
  });

  it('accepts port 0 and a list of private ranges, which also lifts the port list', () => {
    const config = gatewayConfigFromEnv({ PORT: '0', FACEX_ALLOW_PRIVATE_URLS: 'loopback' });
    expect(config.port).toBe(0);
    expect(urlPolicyOf(config, 'options.webhookUrl')).toEqual({ allowPrivate: ['loopback'], allowedPorts: 'any', field: 'options.webhookUrl' });
  });

  it('refuses a malformed number by name', () => {
    expect(() => gatewayConfigFromEnv({ RATE_LIMIT_BURST: 'lots' })).toThrow(/RATE_LIMIT_BURST/);
  });
});

describe('generatorsFromEnv', () => {
  it('reads weight-free generators and packs, marking random weights', () => {
    expect(generatorsFromEnv({ FACEX_GENERATORS: 'reference, diffusion:facex-diffusion@0.1.0:random' })).toEqual([
      { name: 'reference', modelPack: null },
      { name: 'diffusion', modelPack: { name: 'facex-diffusion', version: '0.1.0', randomWeights: true } },
    ]);
  });

  it('refuses unknown generators and malformed packs', () => {
    expect(() => generatorsFromEnv({ FACEX_GENERATORS: 'magic' })).toThrow(/FACEX_GENERATORS/);
    expect(() => generatorsFromEnv({ FACEX_GENERATORS: 'diffusion:nopack' })).toThrow(/FACEX_GENERATORS/);
  });
});
