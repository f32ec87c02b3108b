import { isFacexError, recipeFromPreset, type Recipe, type RegionName } from '@facex/contracts';
import { regionsUnion, type AssemblyInput } from '@facex/assemblers';
import { analyzeSamplePeople, type Person } from '@facex/evaluation';
import { defaultBankDir, donorId, FaceBank, SAME_PERSON_SIMILARITY } from '@facex/face-bank';
import { applyAffine, erodeSquare, highFrequencyEnergy, invertAffine, upsampleMaskBinary2x, warpRgb, type MaskPlane } from '@facex/imaging';
import { chooseDonor } from './bank-donor';
import { renderWarpEdit, type WarpDonor } from './render-warp-edit';
import { unchangedOutsideEdit } from './testing/edit-area';
import { WarpGenerator } from './warp-generator';

/** sample3.jpg and sample6.jpg: 7 people, yaw −13…19°; every one of them is in the bank. */
let people: Person[];
let bank: FaceBank;
beforeAll(async () => {
  [people, bank] = await Promise.all([analyzeSamplePeople(['sample3.jpg', 'sample6.jpg']), FaceBank.open(defaultBankDir())]);
});

const input = (person: Person): AssemblyInput => ({ representation: person.representation, image: person.image });
const ownId = (person: Person) => donorId(person.representation.asset.sha256, person.representation.faceIndex);
const cosine = (a: Float32Array, b: Float32Array) =>
  a.reduce((sum, v, i) => sum + v * b[i], 0) / Math.sqrt(a.reduce((s, v) => s + v * v, 0) * b.reduce((s, v) => s + v * v, 0));

const NOSE_LIPS = recipeFromPreset({ preset: 'inpaint', image: 0, regions: ['nose', 'lips'], userMask: false });

/** A disc of `radius` crop pixels around crop point (u, v), drawn on the person's full image. */
function drawnDisc(person: Person, u: number, v: number, radius: number): MaskPlane {
  const { width, height } = person.image;
  const matrix = person.representation.alignment.matrix;
  const [cx, cy] = applyAffine(invertAffine(matrix), u, v);
  const r = radius / Math.hypot(matrix[0], matrix[1]);
  const data = new Uint8Array(width * height);
  for (let y = Math.floor(cy - r); y <= cy + r; y++)
    for (let x = Math.floor(cx - r); x <= cx + r; x++) if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r) data[y * width + x] = 255;
  return { data, width, height };
}

describe('chooseDonor', () => {
  it('never gives a face itself (nor its person) as donor, and gives each face the same donor every time', async () => {
    for (const person of people) {
      const donor = (await chooseDonor(bank, NOSE_LIPS, [input(person)])) as WarpDonor;
      expect(donor.ref.bank).toBe(bank.version);
      expect(donor.ref.id).not.toBe(ownId(person));
      expect(cosine(donor.representation.identity, person.representation.identity)).toBeLessThan(SAME_PERSON_SIMILARITY);
      expect((await chooseDonor(bank, NOSE_LIPS, [input(person)]))?.ref.id).toBe(donor.ref.id);
    }
    // The face's own bank entry is there, and it is what the rule keeps out.
    expect(bank.donors.map((donor) => donor.id)).toEqual(expect.arrayContaining(people.map(ownId)));
  });

  it('chooses nothing for an edit that regenerates nothing', async () => {
    expect(await chooseDonor(bank, recipeFromPreset({ preset: 'face-swap', source: 0, target: 1 }), [input(people[0]), input(people[1])])).toBeUndefined();
  });

  it('refuses a bank built with another FORD pack than the inputs', async () => {
    const other = { ...people[0].representation, modelPack: { name: 'facex-ford', version: '0.0.0+other' } };
    const refusal = await chooseDonor(bank, NOSE_LIPS, [{ representation: other, image: people[0].image }]).catch((error: unknown) => error);
    expect(isFacexError(refusal, 'model_pack_invalid')).toBe(true);
  });
});

/**
 * High-frequency energy of `regions` (eroded 2 px) in the edited crop against the same regions of the real,
 * unedited face: a fill from the surroundings keeps ≈ 0.1 of it; a transplant keeps the detail of a real face.
 */
function detailRatio(person: Person, crop: { crop: { data: Uint8Array; width: number; height: number } }, area: MaskPlane): number {
  const real = warpRgb(person.image, person.representation.alignment.matrix, 512, 512);
  return highFrequencyEnergy(crop.crop, area) / highFrequencyEnergy(real, area);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

describe('regeneration from the face bank on real faces', () => {
  const CASES: Array<[string, Recipe, RegionName[]]> = [
    ['inpaint nose and lips', NOSE_LIPS, ['nose', 'lips']],
    ['inpaint eyes', recipeFromPreset({ preset: 'inpaint', image: 0, regions: ['eyes'], userMask: false }), ['eyes']],
    ['mask out lips', recipeFromPreset({ preset: 'attribute-edit', target: 0, regions: ['lips'], mode: 'mask-out' }), ['lips']],
  ];

  it.each(CASES)('%s: regenerated with real detail, nothing changed outside the edit area, the donor named', async (_, recipe, regions) => {
    const withDonor: number[] = [],
      without: number[] = [];
    for (const person of people) {
      const donor = (await chooseDonor(bank, recipe, [input(person)])) as WarpDonor;
      const edit = renderWarpEdit(recipe, [input(person)], { donor });
      expect(unchangedOutsideEdit(edit, person.image).changed).toBe(0);
      expect(edit.donor).toEqual({ ...donor.ref, coverage: expect.any(Number) });
      expect(edit.donor?.coverage).toBeGreaterThan(0.8);
      const area = erodeSquare(upsampleMaskBinary2x(regionsUnion(person.representation, regions)), 2);
      withDonor.push(detailRatio(person, edit, area));
      const filled = renderWarpEdit(recipe, [input(person)]);
      expect(filled.donor).toBeNull();
      without.push(detailRatio(person, filled, area));
    }
    // Typical faces keep the detail of a real face; none is flat, as every fill from the surroundings is.
    expect(median(withDonor)).toBeGreaterThanOrEqual(0.5);
    expect(median(withDonor)).toBeLessThanOrEqual(2);
    expect(Math.min(...withDonor)).toBeGreaterThan(Math.max(...without));
  });

  it('a drawn mask on the cheek: transplanted from the donor, detail of a real cheek, nothing changed outside', async () => {
    const recipe = recipeFromPreset({ preset: 'inpaint', image: 0, regions: [], userMask: true });
    const ratios: number[] = [];
    for (const person of people) {
      const userMask = drawnDisc(person, 300, 300, 36);
      const donor = (await chooseDonor(bank, recipe, [input(person)], { userMask })) as WarpDonor;
      const edit = renderWarpEdit(recipe, [input(person)], { userMask, donor });
      expect(unchangedOutsideEdit(edit, person.image).changed).toBe(0);
      // The disc's dilation reaches past the face oval on a turned face: that part is filled, and the coverage says so.
      expect(edit.donor?.coverage).toBeGreaterThan(0.5);
      const disc = { data: new Uint8Array(512 * 512), width: 512, height: 512 };
      for (let y = 270; y <= 330; y++) for (let x = 270; x <= 330; x++) if ((x - 300) ** 2 + (y - 300) ** 2 <= 28 ** 2) disc.data[y * 512 + x] = 255;
      ratios.push(detailRatio(person, edit, disc));
    }
    expect(median(ratios)).toBeGreaterThanOrEqual(0.5);
    expect(median(ratios)).toBeLessThanOrEqual(2);
  });
});

describe('WarpGenerator with the face bank', () => {
  it('chooses the donor in its worker, renders what renderWarpEdit renders with it, and names it', async () => {
    const generator = await WarpGenerator.open({ workers: 1, faceBank: defaultBankDir() });
    try {
      const frame = input(people[1]);
      const [edit, cropOnly] = [await generator.render(NOSE_LIPS, [frame]), await generator.renderCrop(NOSE_LIPS, [frame])];
      const donor = (await chooseDonor(bank, NOSE_LIPS, [frame])) as WarpDonor;
      const here = renderWarpEdit(NOSE_LIPS, [frame], { donor });
      expect(edit.donor).toEqual(here.donor);
      expect(edit.donor?.id).not.toBe(ownId(people[1]));
      expect(Buffer.from(edit.image.data).equals(Buffer.from(here.image.data))).toBe(true);
      expect(cropOnly.donor).toEqual(here.donor);
    } finally {
      await generator.close();
    }
  });
});
