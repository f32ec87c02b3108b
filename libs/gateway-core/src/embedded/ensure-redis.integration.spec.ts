import { createServer } from 'node:net';
import IORedis from 'ioredis';
import { ensureRedis } from './ensure-redis';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('ensureRedis', () => {
  it('starts a non-evicting redis-server when none answers on a local URL, and stops it on close', async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    const local = await ensureRedis(url);
    expect(local.started).toBe(true);
    const client = new IORedis(url);
    expect(await client.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'noeviction']);
    client.disconnect();
    // A second call finds it running and leaves it alone.
    expect((await ensureRedis(url)).started).toBe(false);
    await local.close();
  });

  it('refuses a remote URL that does not answer instead of starting anything', async () => {
    await expect(ensureRedis('redis://192.0.2.1:6379')).rejects.toThrow(/no Redis answers/);
  }, 10_000);
});
