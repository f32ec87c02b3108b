import { readFileSync } from 'node:fs';
import { openApiJson } from '@facex/gateway-http';
import { OPENAPI_PATH } from './generate-openapi';

describe('docs/openapi.json', () => {
  it('is exactly what the generator makes from the current schemas (run `npm run openapi` after a schema change)', () => {
    expect(readFileSync(OPENAPI_PATH, 'utf8')).toBe(openApiJson());
  });

  it('documents every v1 route, the problem schema and the three webhook events', () => {
    const document = JSON.parse(openApiJson());
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/v1/assets', '/v1/assets/{id}', '/v1/edits', '/v1/edits/{id}', '/v1/edits/{id}/result', '/v1/edits/{id}/events', '/v1/tasks']),
    );
    expect(Object.keys(document.webhooks)).toEqual(['edit.completed', 'edit.failed', 'edit.canceled']);
    expect(document.components.schemas.CreateEditRequest.properties).toHaveProperty('inputs');
    expect(document.components.schemas.Problem.required).toEqual(expect.arrayContaining(['type', 'title', 'status', 'detail']));
  });
});
