import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkDockerfile, dockerfileNames, parseDockerfile, readDockerfile } from './dockerfiles';
import { REPO_ROOT } from './manifests';

const SERVICE_IMAGES = ['gateway.Dockerfile', 'extractor-worker.Dockerfile', 'diffusion-worker.Dockerfile'];

describe('the Dockerfiles (checked statically: no container engine on CI)', () => {
  it('exist for every app and the model pack', () => {
    expect(dockerfileNames()).toEqual([...SERVICE_IMAGES, 'model-pack.Dockerfile'].sort());
  });

  it.each(dockerfileNames())('%s: multi-stage, numeric non-root user, health check for services, no secrets', (name) => {
    expect(checkDockerfile(readDockerfile(name), { service: SERVICE_IMAGES.includes(name) })).toEqual([]);
  });

  it.each(SERVICE_IMAGES)('%s: runs its own app entrypoint, compiled, from a runtime stage without sources or dev dependencies', (name) => {
    const app = name.replace('.Dockerfile', '');
    const final = parseDockerfile(readDockerfile(name)).stages.at(-1);
    const args = (keyword: string) => final?.instructions.filter((instruction) => instruction.keyword === keyword).map((instruction) => instruction.args) ?? [];
    expect(args('CMD')).toEqual([`["node", "dist/apps/${app}/src/main.js"]`]);
    // Only the production dependencies and the compiled output (the GPU image also copies the node binary in).
    expect(args('COPY').filter((copy) => !copy.startsWith('--from=node '))).toEqual([
      '--from=deps /app/node_modules ./node_modules',
      '--from=build /app/dist ./dist',
    ]);
    const deps = parseDockerfile(readDockerfile(name)).stages.find((stage) => stage.from.endsWith(' AS deps'));
    expect(deps?.instructions.find((instruction) => instruction.keyword === 'RUN')?.args).toContain('npm ci --omit=dev');
  });

  it('installs the CUDA execution provider of onnxruntime-node in a build stage of the GPU image and checks it landed', () => {
    const { stages } = parseDockerfile(readDockerfile('diffusion-worker.Dockerfile'));
    const runs = stages
      .slice(0, -1)
      .flatMap((stage) => stage.instructions.filter((instruction) => instruction.keyword === 'RUN').map((instruction) => instruction.args));
    const install = runs.find((args) => args.includes('onnxruntime-node/script/install.js'));
    expect(install).toContain('ONNXRUNTIME_NODE_INSTALL=');
    expect(install).toContain('libonnxruntime_providers_cuda.so');
  });

  it('keep dependencies, git history, model packs and env files out of the build context', () => {
    const ignored = readFileSync(join(REPO_ROOT, '.dockerignore'), 'utf8')
      .split('\n')
      .map((line) => line.trim());
    expect(ignored).toEqual(expect.arrayContaining(['.git', 'node_modules', 'models', '.env', '.env.*']));
  });
});

describe('checkDockerfile', () => {
  it('reports a single stage, a root or named user, a missing health check and baked secrets', () => {
    const text = ['FROM node:20', 'ARG NPM_TOKEN', 'ENV PORT=3000 \\', '    DB_PASSWORD=x', 'USER node', 'CMD ["node", "main.js"]'].join('\n');
    expect(checkDockerfile(text, { service: true })).toEqual([
      'not multi-stage (one FROM)',
      'final USER node is not numeric (runAsNonRoot cannot verify it)',
      'final stage has no HEALTHCHECK',
      'ARG NPM_TOKEN bakes a secret into the image',
      'ENV DB_PASSWORD bakes a secret into the image',
    ]);
    expect(checkDockerfile('FROM a AS b\nRUN x\nFROM c\nUSER 0\nHEALTHCHECK CMD true', { service: true })).toEqual(['final USER is root']);
  });
});
