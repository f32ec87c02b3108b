// Entry of every pool worker. Source checkouts run TypeScript directly: register tsx (with the workspace's
// path aliases) before loading the task module. Built output (.js entries) skips the registration.
const { parentPort, workerData } = require('node:worker_threads');
if (workerData.entry.endsWith('.ts')) {
  process.env.TSX_TSCONFIG_PATH ??= require('node:path').join(__dirname, '../../../tsconfig.json');
  require('tsx/cjs/api').register();
}
const { serveTasks } = require('./worker-serve');
serveTasks(parentPort, require(workerData.entry), workerData.options);
