// Loads a worker thread's entry module (workerData.entry). Source checkouts run TypeScript directly: register
// tsx (with the workspace's path aliases) first; built output (.js entries) loads as is.
const { workerData } = require('node:worker_threads');
if (workerData.entry.endsWith('.ts')) {
  process.env.TSX_TSCONFIG_PATH ??= require('node:path').join(__dirname, '../../../tsconfig.json');
  require('tsx/cjs/api').register();
}
module.exports = require(workerData.entry);
