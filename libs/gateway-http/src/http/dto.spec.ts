import { ProblemError } from '@facex/gateway-core';
import { resultEncodingOf } from './dto';

describe('resultEncodingOf', () => {
  it('takes the query first and says which parameter asked for the format', () => {
    expect(resultEncodingOf({ format: 'jpeg', quality: 80 }, 'image/png')).toEqual({ format: 'jpeg', formatField: 'format', quality: 80 });
  });

  it("reads Accept's most preferred type, naming Accept as what asked", () => {
    expect(resultEncodingOf({}, 'image/webp;q=0.5, image/jpeg')).toEqual({ format: 'jpeg', formatField: 'Accept' });
  });

  it('reads video/mp4 and video/* as asking for a video result', () => {
    expect(resultEncodingOf({}, 'video/mp4')).toEqual({ format: 'mp4', formatField: 'Accept' });
    expect(resultEncodingOf({}, 'text/html;q=0.9, video/*')).toEqual({ format: 'mp4', formatField: 'Accept' });
  });

  it('leaves the stored format to wildcards and to no Accept at all', () => {
    expect(resultEncodingOf({}, '*/*')).toEqual({});
    expect(resultEncodingOf({}, undefined)).toEqual({});
  });

  it('refuses an Accept naming only types no result is offered as, listing video/mp4 among them', () => {
    const refusal = (() => {
      try {
        resultEncodingOf({}, 'text/html');
      } catch (error) {
        return error;
      }
      return null;
    })();
    expect(refusal).toBeInstanceOf(ProblemError);
    expect(refusal).toMatchObject({ code: 'not_acceptable', options: { field: 'Accept' }, message: expect.stringContaining('video/mp4') });
  });
});
