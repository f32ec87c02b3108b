import { recipeFromPreset, type Recipe } from '@facex/contracts';
import type { AssemblyInput } from '@facex/assemblers';
import { analyzeSamplePeople, type Person } from '@facex/evaluation';
import { defaultBankDir, donorId, FaceBank, SAME_PERSON_SIMILARITY } from '@facex/face-bank';
import { warpRgb, type RgbImage } from '@facex/imaging';
import { chooseMouthDonor } from './bank-mouth-donor';
import { MIN_TEETH_OPENING, openingRatio } from './mouth-donor';
import { openingOf } from './mouth-opening';
import { fitFace } from './output-mesh';
import { renderWarpCrop } from './render-warp-edit';
import { WarpGenerator } from './warp-generator';

/** sample1.jpg's first face: lips closed (inner lips apart by 2 % of the mouth's width), red lipstick. */
let person: Person;
let bank: FaceBank;
beforeAll(async () => {
  [[person], bank] = await Promise.all([analyzeSamplePeople(['sample1.jpg']), FaceBank.open(defaultBankDir())]);
});

const input = (): AssemblyInput => ({ representation: person.representation, image: person.image });
const OPEN: Recipe = { ...recipeFromPreset({ preset: 'mixture', frame: 0 }), motion: { mode: 'relative', mouthOpen: 0.2 } };
const luma = (d: Uint8Array, o: number) => 0.299 * d[o] + 0.587 * d[o + 1] + 0.114 * d[o + 2];
const isTooth = (d: Uint8Array, o: number) => {
  const most = Math.max(d[o], d[o + 1], d[o + 2]);
  return luma(d, o) > 110 && (most - Math.min(d[o], d[o + 1], d[o + 2])) / most < 0.35;
};

/**
 * The opening the edit drew: around the frame's mouth, the pixels the cavity-only render shows dark where the
 * photo did not. Per column, its upper third (below the upper lip) and the rest.
 */
function openingParts(cavityOnly: RgbImage, frameCrop: RgbImage): { upper: number[]; lower: number[] } {
  const mouth = openingOf(fitFace(person.representation).crop);
  const [cx, cy] = [(mouth.left[0] + mouth.right[0]) / 2, (mouth.upper[1] + mouth.lower[1]) / 2];
  const [upper, lower]: number[][] = [[], []];
  for (let x = Math.round(cx - 0.3 * mouth.width); x <= cx + 0.3 * mouth.width; x++) {
    const column: number[] = [];
    for (let y = Math.round(cy - 0.6 * mouth.width); y <= cy + 0.6 * mouth.width; y++) {
      const o = 3 * (y * 512 + x);
      if (luma(cavityOnly.data, o) < 45 && luma(frameCrop.data, o) >= 45) column.push(o);
    }
    const third = Math.ceil(column.length / 3);
    upper.push(...column.slice(0, third));
    lower.push(...column.slice(third));
  }
  return { upper, lower };
}

describe('a mouth a motion edit opens on a closed-mouth photo', () => {
  it("is lent a bank face's open mouth with teeth, never the photo's own face nor its person", async () => {
    expect(openingRatio(fitFace(person.representation).crop)).toBeLessThan(0.05);
    const donor = await chooseMouthDonor(bank, OPEN, [input()]);
    expect(donor).toBeDefined();
    expect(donor?.ref.id).not.toBe(donorId(person.representation.asset.sha256, person.representation.faceIndex));
    const lender = bank.donor(donor?.ref.id as string);
    const similarity = lender.representation.identity.reduce((sum, v, i) => sum + v * person.representation.identity[i], 0);
    expect(similarity).toBeLessThan(SAME_PERSON_SIMILARITY);
    expect(openingRatio(donor?.points as Float32Array)).toBeGreaterThanOrEqual(MIN_TEETH_OPENING);
    expect(donor?.teeth.bottom).toBeGreaterThan(donor?.teeth.top as number);
    // An edit that opens nothing is lent nothing.
    expect(await chooseMouthDonor(bank, recipeFromPreset({ preset: 'mixture', frame: 0 }), [input()])).toBeUndefined();
  });

  it('shows teeth in the upper part of the opening (mouthOpen +0.2), the cavity without a donor', async () => {
    const mouthDonor = await chooseMouthDonor(bank, OPEN, [input()]);
    const withTeeth = renderWarpCrop(OPEN, [input()], { mouthDonor });
    const cavityOnly = renderWarpCrop(OPEN, [input()]);
    const { upper, lower } = openingParts(cavityOnly.crop, warpRgb(person.image, person.representation.alignment.matrix, 512, 512));
    expect(upper.length).toBeGreaterThan(200);
    const share = (image: RgbImage, pixels: number[]) => pixels.filter((o) => isTooth(image.data, o)).length / pixels.length;
    expect(share(withTeeth.crop, upper)).toBeGreaterThan(0.6);
    expect(share(cavityOnly.crop, upper)).toBe(0);
    // Teeth hang from the upper lip; the opening below them stays mostly the dark mouth.
    expect(share(withTeeth.crop, lower)).toBeLessThan(share(withTeeth.crop, upper));
    expect(withTeeth.donor).toEqual({ ...mouthDonor?.ref, coverage: expect.any(Number) });
    expect(cavityOnly.donor).toBeNull();
  });

  it('is lent by the WarpGenerator in its worker, and the result names the donor', async () => {
    const generator = await WarpGenerator.open({ workers: 1, faceBank: defaultBankDir() });
    try {
      const edit = await generator.renderCrop(OPEN, [input()]);
      const donor = await chooseMouthDonor(bank, OPEN, [input()]);
      expect(edit.donor?.id).toBe(donor?.ref.id);
      expect(edit.donor?.coverage).toBeGreaterThan(0.3);
      expect(Buffer.from(edit.crop.data).equals(Buffer.from(renderWarpCrop(OPEN, [input()], { mouthDonor: donor }).crop.data))).toBe(true);
    } finally {
      await generator.close();
    }
  });
});
