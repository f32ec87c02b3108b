/**
 * The playground page (apps/playground, bundled by `npm run build:playground`) served at /playground from its
 * build directory. Off unless enabled (FACEX_PLAYGROUND; on in the embedded mode): it is a page for trying the
 * API, not a product surface. The files are read once at start-up; the page talks to the API of the same
 * origin, so it works wherever the gateway runs, embedded or distributed.
 */
import { Controller, Get, Inject, Module, Param, Res, type DynamicModule } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { ProblemError } from '@facex/gateway-core';

export interface PlaygroundOptions {
  /** The build output: index.html beside the bundle. */
  dir: string;
}

/** apps/playground/dist from this file, in the source tree and in the compiled dist/ tree alike. */
export const DEFAULT_PLAYGROUND_DIR = join(__dirname, '..', '..', '..', '..', 'apps', 'playground', 'dist');

const FLAGS: Record<string, boolean> = { '1': true, true: true, on: true, yes: true, '0': false, false: false, off: false, no: false };

/** FACEX_PLAYGROUND (1/true/on or 0/false/off; `enabledByDefault` when unset) and FACEX_PLAYGROUND_DIR. */
export function playgroundFromEnv(env: NodeJS.ProcessEnv, enabledByDefault: boolean): PlaygroundOptions | null {
  const value = env['FACEX_PLAYGROUND']?.trim().toLowerCase();
  const enabled = value === undefined || value === '' ? enabledByDefault : FLAGS[value];
  if (enabled === undefined) throw new Error(`FACEX_PLAYGROUND: expected on or off, got '${env['FACEX_PLAYGROUND']}'`);
  return enabled ? { dir: env['FACEX_PLAYGROUND_DIR'] || DEFAULT_PLAYGROUND_DIR } : null;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.map': 'application/json',
};

/** The page may only load its own files and talk to this origin; result previews are blob: URLs. */
export const PLAYGROUND_CSP = "default-src 'self'; img-src 'self' blob: data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

export interface PlaygroundFile {
  contentType: string;
  body: Buffer;
}

/** The build's files by name (a flat directory); refuses a directory without index.html. */
export function loadPlaygroundFiles(dir: string): Map<string, PlaygroundFile> {
  if (!existsSync(join(dir, 'index.html'))) {
    throw new Error(`the playground is enabled but ${join(dir, 'index.html')} is missing: run \`npm run build:playground\` (or set FACEX_PLAYGROUND=off)`);
  }
  const files = new Map<string, PlaygroundFile>();
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const contentType = CONTENT_TYPES[extname(name)];
    if (contentType && statSync(path).isFile()) files.set(name, { contentType, body: readFileSync(path) });
  }
  return files;
}

const PLAYGROUND_FILES = Symbol('PLAYGROUND_FILES');

@Controller('playground')
export class PlaygroundController {
  constructor(@Inject(PLAYGROUND_FILES) private readonly files: Map<string, PlaygroundFile>) {}

  @Get()
  page(@Res({ passthrough: true }) reply: FastifyReply): Buffer {
    return this.send(reply, 'index.html', 'no-cache');
  }

  @Get(':name')
  file(@Param('name') name: string, @Res({ passthrough: true }) reply: FastifyReply): Buffer {
    return this.send(reply, name, 'no-cache');
  }

  private send(reply: FastifyReply, name: string, cacheControl: string): Buffer {
    const file = this.files.get(name);
    if (!file) throw new ProblemError('not_found', `no playground file '${name}'`);
    void reply
      .header('content-type', file.contentType)
      .header('cache-control', cacheControl)
      .header('content-security-policy', PLAYGROUND_CSP)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer');
    return file.body;
  }
}

@Module({})
export class PlaygroundModule {
  static forFiles(files: Map<string, PlaygroundFile>): DynamicModule {
    return { module: PlaygroundModule, controllers: [PlaygroundController], providers: [{ provide: PLAYGROUND_FILES, useValue: files }] };
  }
}
