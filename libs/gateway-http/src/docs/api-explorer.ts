/**
 * The interactive API explorer at /docs: Swagger UI (swagger-ui-dist, an npm dependency) over
 * /docs/openapi.json, its files served by the gateway from node_modules, so nothing loads from a CDN. The page
 * keeps a script-free list of the endpoints in <noscript>.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const SWAGGER_UI_DIR = dirname(require.resolve('swagger-ui-dist/package.json'));
export const SWAGGER_UI_VERSION = (JSON.parse(readFileSync(join(SWAGGER_UI_DIR, 'package.json'), 'utf8')) as { version: string }).version;

/** Swagger UI's start-up script: an inline script would need 'unsafe-inline' in the page's CSP. */
const INITIALIZER = `window.ui = SwaggerUIBundle({
  url: '/docs/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis],
  layout: 'BaseLayout',
  persistAuthorization: false,
  // The default validator badge is an image from validator.swagger.io: nothing loads from elsewhere.
  validatorUrl: null,
});
`;

export interface ExplorerAsset {
  contentType: string;
  body: Buffer;
}

/** The files /docs/assets/<name> serves (read once, on first use). */
const ASSETS: Record<string, { contentType: string; read: () => Buffer }> = {
  'swagger-ui.css': { contentType: 'text/css; charset=utf-8', read: () => readFileSync(join(SWAGGER_UI_DIR, 'swagger-ui.css')) },
  'swagger-ui-bundle.js': { contentType: 'text/javascript; charset=utf-8', read: () => readFileSync(join(SWAGGER_UI_DIR, 'swagger-ui-bundle.js')) },
  'facex-explorer.js': { contentType: 'text/javascript; charset=utf-8', read: () => Buffer.from(INITIALIZER) },
};
const cache = new Map<string, ExplorerAsset>();

/** An explorer asset by name, or null for any other name (never a path into the file system). */
export function explorerAsset(name: string): ExplorerAsset | null {
  const known = Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined;
  if (!known) return null;
  let asset = cache.get(name);
  if (!asset) {
    asset = { contentType: known.contentType, body: known.read() };
    cache.set(name, asset);
  }
  return asset;
}

/** The page's Content-Security-Policy: its own scripts and styles only; Swagger UI sets inline styles. */
export const EXPLORER_CSP = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'";

/** The HTML of /docs; `noscript` is shown by browsers without JavaScript. */
export function explorerPage(noscript: string): string {
  const v = `?v=${SWAGGER_UI_VERSION}`;
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>FaceX API</title><link rel="icon" href="data:,"><link rel="stylesheet" href="/docs/assets/swagger-ui.css${v}"></head>
<body>
<noscript>${noscript}</noscript>
<main id="swagger-ui"></main>
<script src="/docs/assets/swagger-ui-bundle.js${v}"></script>
<script src="/docs/assets/facex-explorer.js${v}"></script>
</body>
</html>
`;
}
