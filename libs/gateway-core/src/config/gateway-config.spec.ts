import { tmpdir } from 'node:os';
import { gatewayConfigFromEnv, generatorsFromEnv, maxUploadBytes, urlPolicyOf } from './gateway-config';

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

  it('reads what a video upload may be and how long a chunk is; an upload is read up to the larger of the image and video limits', () => {
    const config = gatewayConfigFromEnv({
      FACEX_VIDEO_MAX_BYTES: '1000',
      FACEX_VIDEO_MAX_SECONDS: '30',
      FACEX_VIDEO_CHUNK_SECONDS: '0.5',
      MAX_ASSET_BYTES: '5000',
    });
    expect(config.video).toEqual({ maxBytes: 1000, limits: { maxDurationSeconds: 30, maxPixels: 1920 * 1080, maxFrames: 7200 }, chunkSeconds: 0.5 });
    expect(maxUploadBytes(config)).toBe(5000);
    expect(maxUploadBytes(gatewayConfigFromEnv({}))).toBe(200 * 1024 * 1024);
    expect(() => gatewayConfigFromEnv({ FACEX_VIDEO_MAX_FRAMES: '-1' })).toThrow(/FACEX_VIDEO_MAX_FRAMES/);
    expect(() => gatewayConfigFromEnv({ FACEX_VIDEO_CHUNK_SECONDS: 'long' })).toThrow(/FACEX_VIDEO_CHUNK_SECONDS/);
  });

  it('spools uploads under FACEX_UPLOAD_DIR, or the system temp directory when it is unset', () => {
    expect(gatewayConfigFromEnv({ FACEX_UPLOAD_DIR: '/var/spool/facex' }).uploadDir).toBe('/var/spool/facex');
    expect(gatewayConfigFromEnv({}).uploadDir).toBe(tmpdir());
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
