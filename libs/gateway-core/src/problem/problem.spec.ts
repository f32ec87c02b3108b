import { FacexError } from '@facex/contracts';
import { ProblemError, problemCatalog, problemOf } from './problem';

describe('problemOf', () => {
  it("keeps a FacexError's code, status, title and field", () => {
    const { problem } = problemOf(new FacexError('url_not_allowed', 'url: resolves to 127.0.0.1', { field: 'url' }));
    expect(problem).toEqual({
      type: '/docs/problems#url_not_allowed',
      title: 'URL not allowed',
      status: 422,
      detail: 'url: resolves to 127.0.0.1',
      code: 'url_not_allowed',
      field: 'url',
    });
  });

  it('maps Fastify body errors: too large 413, unsupported media 415, unparsable 400', () => {
    const fastify = (code: string, statusCode: number) => Object.assign(new Error(code), { code, statusCode });
    expect(problemOf(fastify('FST_ERR_CTP_BODY_TOO_LARGE', 413)).problem.status).toBe(413);
    expect(problemOf(fastify('FST_REQ_FILE_TOO_LARGE', 413)).problem.code).toBe('payload_too_large');
    expect(problemOf(fastify('FST_ERR_CTP_INVALID_MEDIA_TYPE', 415)).problem.code).toBe('unsupported_media_type');
    expect(problemOf(Object.assign(new SyntaxError('Unexpected end of JSON input'), { statusCode: 400 })).problem.code).toBe('malformed_request');
  });

  it('answers 503 with Retry-After when Redis is unreachable', () => {
    const { problem, headers } = problemOf(new Error("Stream isn't writeable and enableOfflineQueue options is false"));
    expect([problem.status, problem.code, headers['retry-after']]).toEqual([503, 'unavailable', '5']);
  });

  it('hides the message of unexpected errors behind a 500', () => {
    const { problem } = problemOf(new TypeError('secret internals at /srv/app.js:12'));
    expect(problem).toMatchObject({ status: 500, code: 'internal', detail: 'an unexpected error occurred' });
  });

  it("passes a ProblemError's headers through", () => {
    expect(problemOf(new ProblemError('rate_limited', 'slow down', { headers: { 'retry-after': '3' } })).headers).toEqual({ 'retry-after': '3' });
  });

  it('lists every code once, sorted by status', () => {
    const catalog = problemCatalog();
    expect(new Set(catalog.map((entry) => entry.code)).size).toBe(catalog.length);
    expect(catalog.map((entry) => entry.status)).toEqual([...catalog.map((entry) => entry.status)].sort((a, b) => a - b));
  });
});
