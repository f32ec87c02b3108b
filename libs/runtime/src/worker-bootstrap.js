// Entry of every pool worker: load the task module, then serve its tasks.
const { parentPort, workerData } = require('node:worker_threads');
const taskModule = require('./load-worker-entry');
const { serveTasks } = require('./worker-serve');
serveTasks(parentPort, taskModule, workerData.options);
