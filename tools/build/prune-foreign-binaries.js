// Removes the native binaries that packages ship for other platforms (onnxruntime-node carries Windows, macOS
// and Linux builds for every architecture, about 240 MB this image never loads). Plain JavaScript: the images'
// dependency stages run it with node alone. Usage: node prune-foreign-binaries.js <node_modules>
const { readdirSync, rmSync } = require('node:fs');
const { join } = require('node:path');

const nodeModules = process.argv[2] ?? 'node_modules';
const ortBinaries = join(nodeModules, 'onnxruntime-node', 'bin', 'napi-v6');
let removed = 0;
for (const platform of readdirSync(ortBinaries)) {
  for (const arch of readdirSync(join(ortBinaries, platform))) {
    if (platform === process.platform && arch === process.arch) continue;
    rmSync(join(ortBinaries, platform, arch), { recursive: true, force: true });
    removed++;
  }
}
console.log(`pruned ${removed} onnxruntime-node builds for other platforms`);
