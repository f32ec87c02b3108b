import { FacexError } from '@facex/contracts';
import { alignedCropKey, assertSafeKey, representationBlobKey } from './keys';

const sha = 'a'.repeat(64);

it('names an aligned crop by pack, asset and face, beside its representation', () => {
  expect(alignedCropKey('1.2.0', sha, 3)).toBe(`crops/1.2.0/${sha}/3.png`);
  expect(representationBlobKey('1.2.0', sha, 3)).toBe(`representations/1.2.0/${sha}/3.safetensors`);
  expect(() => assertSafeKey(alignedCropKey('1.2.0', sha, 0))).not.toThrow();
});

it('refuses an aligned crop key with a bad face index, pack version or asset id, naming the field', () => {
  const fieldOf = (make: () => string) => {
    try {
      make();
    } catch (error) {
      expect(error).toBeInstanceOf(FacexError);
      return (error as FacexError).details['field'];
    }
    return undefined;
  };
  expect(fieldOf(() => alignedCropKey('1.2.0', sha, -1))).toBe('faceIndex');
  expect(fieldOf(() => alignedCropKey('1.2.0', sha, 0.5))).toBe('faceIndex');
  expect(fieldOf(() => alignedCropKey('../x', sha, 0))).toBe('packVersion');
  expect(fieldOf(() => alignedCropKey('1.2.0', 'ABC', 0))).toBe('assetId');
});
