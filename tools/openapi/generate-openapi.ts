/** `npm run openapi`: writes docs/openapi.json from the zod schemas (see libs/gateway-http/src/docs/openapi-document.ts). */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openApiJson } from '@facex/gateway-http';

export const OPENAPI_PATH = join(__dirname, '..', '..', 'docs', 'openapi.json');

if (require.main === module) {
  writeFileSync(OPENAPI_PATH, openApiJson());
  console.log(`wrote ${OPENAPI_PATH}`);
}
