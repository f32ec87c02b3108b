import { assertJsonDepth, assertValueDepth, MAX_JSON_DEPTH } from './json-depth';

describe('assertJsonDepth', () => {
  it('counts only structural brackets: escaped quotes and brackets inside strings are text', () => {
    expect(() => assertJsonDepth(JSON.stringify({ a: '[[[[\\"{{{{'.repeat(50) }))).not.toThrow();
    expect(() => assertJsonDepth(`${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}`)).not.toThrow();
    expect(() => assertJsonDepth(`${'['.repeat(MAX_JSON_DEPTH + 1)}${']'.repeat(MAX_JSON_DEPTH + 1)}`)).toThrow(
      expect.objectContaining({ code: 'json_too_deep' }),
    );
  });

  it('scans a million-deep body without recursion', () => {
    expect(() => assertJsonDepth('{"a":'.repeat(1_000_000))).toThrow(expect.objectContaining({ code: 'json_too_deep' }));
  });
});

describe('assertValueDepth', () => {
  it('bounds parsed values the same way', () => {
    expect(() => assertValueDepth({ a: [{ b: 1 }] }, 3)).not.toThrow();
    expect(() => assertValueDepth({ a: [{ b: {} }] }, 3)).toThrow(expect.objectContaining({ code: 'json_too_deep' }));
  });
});
