/**
 * The HTML at /docs: the interactive explorer (Swagger UI, served by the gateway itself) with the endpoints from
 * the OpenAPI document and a link to the JSON for browsers without JavaScript. /docs/problems lists every
 * problem type.
 */
import { problemCatalog } from '@facex/gateway-core';
import { explorerPage } from './api-explorer';
import { buildOpenApiDocument } from './openapi-document';

const escape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title></head><body><h1>${escape(title)}</h1>${body}</body></html>\n`;
}

export function docsPage(): string {
  const paths = buildOpenApiDocument()['paths'] as Record<string, Record<string, { summary?: string }>>;
  const rows = Object.entries(paths).flatMap(([path, operations]) =>
    Object.entries(operations).map(
      ([method, operation]) =>
        `<tr><td><code>${method.toUpperCase()}</code></td><td><code>${escape(path)}</code></td><td>${escape(operation.summary ?? '')}</td></tr>`,
    ),
  );
  return explorerPage(
    `<h1>FaceX API</h1><p>The OpenAPI 3.1 document: <a href="/docs/openapi.json">/docs/openapi.json</a>. Error types: <a href="/docs/problems">/docs/problems</a>.</p><table>${rows.join('')}</table>`,
  );
}

export function problemsPage(): string {
  const rows = problemCatalog().map(
    ({ code, status, title }) => `<tr id="${code}"><td>${status}</td><td><code>${code}</code></td><td>${escape(title)}</td></tr>`,
  );
  return page('FaceX problem types', `<table>${rows.join('')}</table>`);
}
