// Entry of the diffusion worker thread. Source checkouts run TypeScript directly: register tsx (with the
// workspace's path aliases) before loading the worker module; built output (.js) loads it as is.
const { workerData } = require('node:worker_threads');
const { entry } = workerData;
if (entry.endsWith('.ts')) {
  process.env.TSX_TSCONFIG_PATH ??= require('node:path').join(__dirname, '../../../../tsconfig.json');
  require('tsx/cjs/api').register();
}
require(entry);
