/**
 * `npm run facex -- …`: one edit in-process (same pipeline as the service, Redis as in the embedded mode: a
 * video edit runs its chunks and mux on the in-process video workers) or through a gateway's HTTP API with @facex/client (--url/--key), or API key administration. Exits non-zero with
 * the problem title on failure.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { createFacexClient, FacexApiError, type CreateEditRequest } from '@facex/client';
import { TERMINAL_STATUSES, type EditRecord } from '@facex/contracts';
import {
  createGatewayServices,
  gatewayConfigFromEnv,
  openLocalPipeline,
  problemOf,
  createGatewayRedis,
  waitForRedis,
  ApiKeyRepository,
  ApiKeyService,
} from '@facex/gateway-core';
import { createLogger, logConnectionErrors } from '@facex/logging';
import { CliUsageError, USAGE, editRequestOf, parseCliArgs, type CliCommand } from './cli-args';
import { PHOTO_EDIT_SHARES, ProgressReporter, VIDEO_EDIT_SHARES } from './progress-bar';

/** The tenant of edits the CLI makes on this machine. */
const CLI_TENANT = 'key_cli';
const POLL_MS = 200;

/** The edit failed or was canceled; the message is the problem's title and detail. */
class EditEndedError extends Error {}

async function runEdit(command: Extract<CliCommand, { kind: 'edit' }>, env: NodeJS.ProcessEnv): Promise<void> {
  const config = { ...gatewayConfigFromEnv(env), webhookConcurrency: 0 };
  const pipeline = await openLocalPipeline(config, env, (line) => process.stderr.write(`${line}\n`));
  const services = createGatewayServices({ config, blobs: pipeline.blobs, generators: pipeline.generators });
  let progress: ProgressReporter | undefined;
  try {
    const { assets, edits } = services.context;
    const store = async (path: string) => assets.store(CLI_TENANT, await readFile(path));
    const storeId = async (path: string) => (await store(path)).id;
    const reference = command.faces?.mode === 'reference' ? command.faces.reference : undefined;
    const [inputs, mask, referenceId] = await Promise.all([
      Promise.all(command.inputs.map(store)),
      command.mask === undefined ? undefined : storeId(command.mask),
      reference === undefined ? undefined : storeId(reference),
    ]);
    const images = inputs.map((asset) => asset.id);
    // The video tier (its own FORD, warp threads and ffmpeg) starts only for an edit that takes a video.
    const video = inputs.some((asset) => asset.video);
    await pipeline.startWorkers(undefined, video ? ['cpu', 'gpu', 'video'] : ['cpu', 'gpu']);
    progress = new ProgressReporter(video ? VIDEO_EDIT_SHARES : PHOTO_EDIT_SHARES);
    let edit: EditRecord = await edits.create(CLI_TENANT, editRequestOf(command, images, mask, referenceId));
    while (!TERMINAL_STATUSES.includes(edit.status)) {
      progress.update(edit);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      edit = await edits.get(CLI_TENANT, edit.id);
    }
    progress.update(edit);
    progress.finish();
    if (edit.status !== 'completed' || !edit.result) {
      throw new EditEndedError(edit.error ? `${edit.error.title}: ${edit.error.detail}` : `the edit was ${edit.status}`);
    }
    await writeFile(command.output, await pipeline.blobs.get(edit.result.key));
    const pack = edit.result.modelPack ? `${edit.result.modelPack.name}@${edit.result.modelPack.version}` : 'no model pack';
    process.stderr.write(`wrote ${command.output} (generator ${edit.result.generator}, ${pack})\n`);
  } finally {
    progress?.finish();
    await services.close();
    await pipeline.close();
  }
}

/** The same edit through the HTTP API: upload, create (idempotent), follow over SSE, download. */
async function runRemoteEdit(command: Extract<CliCommand, { kind: 'edit' }>, remote: { url: string; key: string }): Promise<void> {
  const client = createFacexClient({ baseUrl: remote.url, apiKey: remote.key });
  const upload = async (path: string) => client.uploadFile(await readFile(path), { filename: basename(path) });
  const uploadId = async (path: string) => (await upload(path)).id;
  const reference = command.faces?.mode === 'reference' ? command.faces.reference : undefined;
  const [inputs, mask, referenceId] = await Promise.all([
    Promise.all(command.inputs.map(upload)),
    command.mask === undefined ? undefined : uploadId(command.mask),
    reference === undefined ? undefined : uploadId(reference),
  ]);
  const images = inputs.map((asset) => asset.id);
  const progress = new ProgressReporter(inputs.some((asset) => asset.video) ? VIDEO_EDIT_SHARES : PHOTO_EDIT_SHARES);
  try {
    // The CLI checks only its flags; the gateway validates the body and answers a typed problem.
    const { edit } = await client.createEdit(editRequestOf(command, images, mask, referenceId) as CreateEditRequest);
    const finished = await client.waitForEdit(edit.id, { onUpdate: (update) => progress.update(update) });
    progress.finish();
    if (finished.status !== 'completed') {
      throw new EditEndedError(finished.error ? `${finished.error.title}: ${finished.error.detail}` : `the edit was ${finished.status}`);
    }
    const result = await client.downloadResult(finished.id);
    await writeFile(command.output, result.bytes);
    const pack = finished.result?.modelPack ? `${finished.result.modelPack.name}@${finished.result.modelPack.version}` : 'no model pack';
    process.stderr.write(`wrote ${command.output} (generator ${finished.result?.generator ?? result.generator}, ${pack}, edit ${finished.id})\n`);
  } finally {
    progress.finish();
  }
}

/** Key management against the deployment's Redis (REDIS_URL, FACEX_QUEUE_PREFIX): the operator's side of /v1/keys. */
async function runKeys(command: Extract<CliCommand, { kind: 'keys-create' | 'keys-list' | 'keys-revoke' }>, env: NodeJS.ProcessEnv): Promise<number> {
  const config = gatewayConfigFromEnv(env);
  const redis = createGatewayRedis(config.redisUrl);
  logConnectionErrors(redis, createLogger('cli'), 'redis');
  try {
    await waitForRedis(redis, 3_000);
    const keys = new ApiKeyService(new ApiKeyRepository(redis, `${config.prefix}:`));
    if (command.kind === 'keys-list') {
      process.stdout.write(`${JSON.stringify(await keys.listAsOperator(), null, 2)}\n`);
      return 0;
    }
    if (command.kind === 'keys-revoke') {
      if (await keys.revokeAsOperator(command.id)) return 0;
      process.stderr.write(`facex: no active key ${command.id}\n`);
      return 1;
    }
    const issued = await keys.issue(command.name, { admin: command.admin });
    // Shown once: only the hash is stored.
    process.stdout.write(
      `${JSON.stringify({ id: issued.id, name: issued.name, admin: command.admin, key: issued.key, webhookSecret: issued.webhookSecret }, null, 2)}\n`,
    );
    return 0;
  } finally {
    redis.disconnect();
  }
}

async function main(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  let command: CliCommand;
  try {
    command = parseCliArgs(argv, env);
  } catch (error) {
    if (!(error instanceof CliUsageError)) throw error;
    process.stderr.write(`facex: ${error.message}\n${USAGE}\n`);
    return 2;
  }
  try {
    if (command.kind === 'help') process.stdout.write(`${USAGE}\n`);
    else if (command.kind === 'keys-create' || command.kind === 'keys-list' || command.kind === 'keys-revoke') return await runKeys(command, env);
    else if (command.remote) await runRemoteEdit(command, command.remote);
    else await runEdit(command, env);
    return 0;
  } catch (error) {
    if (error instanceof EditEndedError) {
      process.stderr.write(`facex: ${error.message}\n`);
    } else if (error instanceof FacexApiError) {
      process.stderr.write(`facex: ${error.problem.title}: ${error.problem.detail}${error.field ? ` (${error.field})` : ''}\n`);
    } else {
      // Local use: an unexpected error's message helps more than the HTTP layer's generic title.
      const { problem } = problemOf(error);
      process.stderr.write(
        `facex: ${problem.title}: ${problem.code === 'internal' ? String(error instanceof Error ? error.message : error) : problem.detail}\n`,
      );
    }
    return 1;
  }
}

main(process.argv.slice(2), process.env).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
