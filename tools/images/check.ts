/**
 * `npm run images:check`: builds every image of deploy/docker with buildah (chroot isolation, so no container
 * daemon is needed) and starts each service image's entrypoint from its own root filesystem far enough to
 * answer /healthz. Registry base images are out of reach here, so the Node image they name is replaced (as a
 * build argument) by one made from Debian packages: `debootstrap --variant=minbase` of the host's Debian
 * release plus this machine's Node.js and npm. Prints the images and their sizes as a markdown table.
 * Needs root, buildah and debootstrap; the base's root filesystem is cached (FACEX_IMAGE_CACHE, default
 * ~/.cache/facex-images) and buildah's layer cache makes repeated builds fast.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { freePort } from '@facex/gateway-http/testing';

const ROOT = join(__dirname, '..', '..');
const TAG = 'check';

interface ServiceCheck {
  /** Dockerfile under deploy/docker, without `.Dockerfile`. */
  image: string;
  /** What the container runs, if not the image's CMD (the webhook worker shares the gateway image). */
  command?: string[];
  env: (port: number) => Record<string, string>;
  /** Path polled for 200. */
  path: string;
}

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const SERVICES: ServiceCheck[] = [
  {
    image: 'gateway',
    env: (port) => ({ PORT: String(port), HOST: '127.0.0.1', REDIS_URL, FACEX_QUEUE_PREFIX: 'facex-image-check', FACEX_STORAGE_DIR: '/tmp/blobs' }),
    path: '/healthz',
  },
  {
    image: 'gateway',
    command: ['node', 'dist/apps/gateway/src/webhook-worker-main.js'],
    env: (port) => ({ HEALTH_PORT: String(port), REDIS_URL, FACEX_QUEUE_PREFIX: 'facex-image-check', PUBLIC_BASE_URL: 'http://127.0.0.1' }),
    path: '/healthz',
  },
  {
    image: 'extractor-worker',
    env: (port) => ({ PORT: String(port), REDIS_URL, FACEX_QUEUE_PREFIX: 'facex-image-check', FACEX_STORAGE_DIR: '/tmp/blobs' }),
    path: '/healthz',
  },
  {
    image: 'diffusion-worker',
    env: (port) => ({ PORT: String(port), REDIS_URL, FACEX_QUEUE_PREFIX: 'facex-image-check', FACEX_STORAGE_DIR: '/tmp/blobs' }),
    path: '/healthz',
  },
];
const IMAGES = ['gateway', 'extractor-worker', 'diffusion-worker', 'model-pack'];

function run(command: string, args: string[], env: NodeJS.ProcessEnv): string {
  const result = spawnSync(command, args, { cwd: ROOT, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${result.status ?? result.signal}`);
  return result.stdout;
}

function hostRelease(): string {
  const fields = Object.fromEntries(
    readFileSync('/etc/os-release', 'utf8')
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1).replace(/^"|"$/g, '')]),
  );
  const codename = fields['VERSION_CODENAME'];
  if (fields['ID'] !== 'debian' || !codename) throw new Error('the base image is made with debootstrap of the host Debian release; this host is not Debian');
  return codename;
}

/**
 * The Node base image: Debian minbase + this machine's node and npm, laid out as the official node images do,
 * and this machine's CA bundle (the npm registry may sit behind a TLS-inspecting proxy that only it trusts).
 */
function ensureBaseImage(env: NodeJS.ProcessEnv): string {
  const release = hostRelease();
  const name = `localhost/facex-node-base:${release}-node${process.versions.node}`;
  if (spawnSync('buildah', ['inspect', '--type', 'image', name], { env, stdio: 'ignore' }).status === 0) return name;
  const cache = env['FACEX_IMAGE_CACHE'] ?? join(homedir(), '.cache', 'facex-images');
  const rootfsTar = join(cache, `${release}-minbase.tar`);
  if (!existsSync(rootfsTar)) {
    mkdirSync(cache, { recursive: true });
    const dir = mkdtempSync(join(tmpdir(), 'facex-debootstrap-'));
    try {
      console.error(`debootstrap --variant=minbase ${release} (a few minutes, once)`);
      run('debootstrap', ['--variant=minbase', release, join(dir, 'rootfs'), env['DEBIAN_MIRROR'] ?? 'http://deb.debian.org/debian'], env);
      run('tar', ['-C', join(dir, 'rootfs'), '-cf', rootfsTar, '.'], env);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const npmDir = join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm');
  if (!existsSync(join(npmDir, 'package.json'))) throw new Error(`npm not found beside this node (${npmDir})`);
  const container = run('buildah', ['from', 'scratch'], env).trim();
  try {
    run('buildah', ['add', container, rootfsTar, '/'], env);
    run('buildah', ['copy', container, process.execPath, '/usr/local/bin/node'], env);
    run('buildah', ['copy', container, npmDir, '/usr/local/lib/node_modules/npm'], env);
    run('buildah', ['run', container, '--', 'ln', '-s', '../lib/node_modules/npm/bin/npm-cli.js', '/usr/local/bin/npm'], env);
    run('buildah', ['run', container, '--', 'ln', '-s', '../lib/node_modules/npm/bin/npx-cli.js', '/usr/local/bin/npx'], env);
    const caBundle = env['SSL_CERT_FILE'] ?? '/etc/ssl/certs/ca-certificates.crt';
    const trust = existsSync(caBundle)
      ? ['--env', 'NODE_EXTRA_CA_CERTS=/etc/ssl/certs/host-ca-bundle.crt', '--env', 'npm_config_cafile=/etc/ssl/certs/host-ca-bundle.crt']
      : [];
    if (trust.length > 0) run('buildah', ['copy', container, caBundle, '/etc/ssl/certs/host-ca-bundle.crt'], env);
    const settings = ['--env', 'PATH=/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin', '--env', 'npm_config_update_notifier=false', ...trust];
    run('buildah', ['config', ...settings, '--cmd', 'node', container], env);
    run('buildah', ['commit', '--quiet', container, name], env);
  } finally {
    spawnSync('buildah', ['rm', container], { env, stdio: 'ignore' });
  }
  return name;
}

function buildImage(image: string, base: string, env: NodeJS.ProcessEnv): string {
  const tag = `localhost/facex/${image}:${TAG}`;
  console.error(`building ${tag}`);
  const baseArgs = ['--build-arg', `NODE_IMAGE=${base}`];
  if (image === 'diffusion-worker') baseArgs.push('--build-arg', `CUDA_IMAGE=${base}`, '--build-arg', 'ORT_INSTALL=skip');
  if (image === 'model-pack') baseArgs.push('--build-arg', `PACKS_IMAGE=${base}`);
  // Docker format: OCI image configs have no HEALTHCHECK.
  run(
    'buildah',
    ['bud', '--isolation', 'chroot', '--layers', '--quiet', '--format', 'docker', ...baseArgs, '-f', `deploy/docker/${image}.Dockerfile`, '-t', tag, '.'],
    env,
  );
  return tag;
}

async function answers(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode} before answering ${url}`);
    const status = await fetch(url).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 200) return;
    if (Date.now() > deadline) throw new Error(`${url} did not answer 200 within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Starts the service from its image's root filesystem (buildah run, chroot: the host's loopback) and polls it. */
async function checkService(service: ServiceCheck, env: NodeJS.ProcessEnv, models: string): Promise<void> {
  const tag = `localhost/facex/${service.image}:${TAG}`;
  const port = await freePort();
  const container = run('buildah', ['from', tag], env).trim();
  const settings = Object.entries(service.env(port)).flatMap(([key, value]) => ['--env', `${key}=${value}`]);
  const command =
    service.command ?? (JSON.parse(run('buildah', ['inspect', '--type', 'image', tag], env)) as { Docker: { config: { Cmd: string[] } } }).Docker.config.Cmd;
  const child = spawn('buildah', ['run', '--isolation', 'chroot', '--volume', `${models}:/models:ro`, ...settings, container, '--', ...command], {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const label = `${service.image} (${command.slice(1).join(' ')})`;
  try {
    await answers(`http://127.0.0.1:${port}${service.path}`, child, 180_000);
    console.error(`${label}: ${service.path} answered 200`);
  } catch (error) {
    throw new Error(`${label}: ${(error as Error).message}\n${stderr}`, { cause: error });
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
    spawnSync('buildah', ['rm', container], { env, stdio: 'ignore' });
  }
}

async function main(): Promise<void> {
  for (const tool of ['buildah', 'debootstrap']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status !== 0) throw new Error(`${tool} not found (apt-get install -y ${tool})`);
  }
  const models = join(ROOT, 'models');
  if (!existsSync(join(models, 'facex-ford', 'manifest.json'))) throw new Error('models/facex-ford is missing: run npm run setup first');
  // buildah's default ulimits fail to apply in some sandboxes (setrlimit); an empty list keeps the host's.
  const confDir = mkdtempSync(join(tmpdir(), 'facex-containers-'));
  writeFileSync(join(confDir, 'containers.conf'), '[containers]\ndefault_ulimits = []\n');
  const env = { ...process.env, CONTAINERS_CONF: process.env['CONTAINERS_CONF'] ?? join(confDir, 'containers.conf'), BUILDAH_ISOLATION: 'chroot' };
  try {
    const base = ensureBaseImage(env);
    for (const image of IMAGES) buildImage(image, base, env);
    for (const service of SERVICES) await checkService(service, env, models);
    const images = JSON.parse(run('buildah', ['images', '--json'], env)) as Array<{ names: string[] | null; size: string }>;
    const shown = images.flatMap((image) => (image.names ?? []).filter((name) => name.endsWith(`:${TAG}`) || name === base).map((name) => [name, image.size]));
    console.log(`\n| image (base: ${base}) | size |\n|---|---:|`);
    for (const [name, size] of shown) console.log(`| ${name} | ${size} |`);
  } finally {
    rmSync(confDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
