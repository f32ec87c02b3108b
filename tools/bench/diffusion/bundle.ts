/**
 * `npm run bundle:bench-diffusion`: the diffusion bench as one CommonJS file, dist/bench-diffusion.cjs, for a
 * machine with Node.js and onnxruntime-node but no node_modules (the GPU machine: see gpu.sh), with
 * unet_reference.py and the training/facex_train package it imports beside it (torch-reference.ts looks for the
 * script next to the running module).
 * onnxruntime-node stays external: its native binding comes from the machine.
 */
import { copyFileSync, cpSync, mkdirSync, rmSync } from 'fs';
import { join } from 'path';
import { build, type Plugin } from 'esbuild';

const ROOT = join(__dirname, '../../..');
const OUT_DIR = join(ROOT, 'dist');
const BENCH_BUNDLE = join(OUT_DIR, 'bench-diffusion.cjs');

/**
 * The @facex/* entry points only re-export, so the bundle may drop those whose exports the bench never uses.
 * Without this, @facex/runtime's worker-entry lookup (`require.resolve` of a file that is not bundled) would
 * run, and fail, when the bundle loads.
 */
const unusedLibrariesDropped: Plugin = {
  name: 'unused-facex-libraries-dropped',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^@facex\// }, async (args) => {
      if (args.pluginData === 'resolving') return undefined;
      const resolved = await pluginBuild.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: 'resolving' });
      if (resolved.errors.length > 0) return { errors: resolved.errors };
      return { path: resolved.path, sideEffects: false };
    });
  },
};

async function main(): Promise<void> {
  mkdirSync(OUT_DIR, { recursive: true });
  await build({
    entryPoints: [join(ROOT, 'tools/bench/diffusion/bench.ts')],
    outfile: BENCH_BUNDLE,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['onnxruntime-node'],
    tsconfig: join(ROOT, 'tsconfig.json'),
    plugins: [unusedLibrariesDropped],
    logLevel: 'warning',
    // Raised while parsing @facex/runtime, which the plugin then drops (the bundle is checked to run).
    logOverride: { 'require-resolve-not-external': 'silent' },
  });
  copyFileSync(join(ROOT, 'tools/bench/diffusion/unet_reference.py'), join(OUT_DIR, 'unet_reference.py'));
  const packageDir = join(OUT_DIR, 'training', 'facex_train');
  rmSync(packageDir, { recursive: true, force: true });
  cpSync(join(ROOT, 'training', 'facex_train'), packageDir, { recursive: true, filter: (path) => !path.includes('__pycache__') });
  console.log(`wrote ${BENCH_BUNDLE}, ${join(OUT_DIR, 'unet_reference.py')} and ${packageDir}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
