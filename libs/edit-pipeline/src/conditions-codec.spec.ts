import { nullTokens, tokenLayout, type AssembledTokens } from '@facex/assemblers';
import type { Affine2D } from '@facex/contracts';
import { decodeTokens, encodeTokens } from './conditions-codec';

function someTokens(): AssembledTokens {
  const layout = tokenLayout(4, 3);
  const packed = Float32Array.from({ length: layout.totalWidth }, (_, i) => i * 0.5 - 3);
  return {
    layout,
    packed,
    slots: layout.slots.map((slot, i) => ({
      ...slot,
      values: packed.subarray(slot.offset, slot.offset + slot.width),
      source: i % 3 === 0 ? null : i % 2,
      present: i % 3 !== 0,
    })),
  };
}

describe('tokens codec', () => {
  it('round-trips the packed tokens, their null set, slot sources and the crop transform', () => {
    const tokens = someTokens();
    const nulls = nullTokens(tokens.layout);
    const cropToImage: Affine2D = [1.5, 0.1, 20, -0.1, 1.5, 30];
    const decoded = decodeTokens(encodeTokens(tokens, nulls, cropToImage));
    expect([...decoded.tokens.packed]).toEqual([...tokens.packed]);
    expect([...decoded.nullTokens.packed]).toEqual([...nulls.packed]);
    expect(decoded.tokens.slots.map((s) => [s.component, s.source, s.present, [...s.values]])).toEqual(
      tokens.slots.map((s) => [s.component, s.source, s.present, [...s.values]]),
    );
    expect(decoded.cropToImage).toEqual(cropToImage);
  });

  it('rejects truncated tokens', () => {
    const bytes = encodeTokens(someTokens(), nullTokens(someTokens().layout), [1, 0, 0, 0, 1, 0]);
    expect(() => decodeTokens(bytes.subarray(0, bytes.length - 4))).toThrow(expect.objectContaining({ code: 'invalid_representation' }));
  });
});
