/**
 * `npm run eval:regeneration`: the `warp` generator's regeneration from the face bank on the sample people
 * (every one of them is in the bank, so the leave-one-out rule is exercised on each): a contact sheet
 * (docs/eval/regeneration-warp.png) and, per edit, the donor and the detail of the regenerated regions against
 * the real face (docs/eval/regeneration-warp.md). Columns: the face, inpaint nose + lips, inpaint eyes, a drawn
 * disc on the cheek, mask-out lips, mask-out hair, then inpaint nose + lips without the bank (the fill it replaces).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { recipeFromPreset, type Recipe, type RegionName } from '@facex/contracts';
import { regionsUnion, type AssemblyInput } from '@facex/assemblers';
import { analyzeSamplePeople, contactSheet, encodePng, type Person, type SheetCell } from '@facex/evaluation';
import { defaultBankDir, FaceBank } from '@facex/face-bank';
import { applyAffine, erodeSquare, highFrequencyEnergy, invertAffine, upsampleMaskBinary2x, warpRgb, type MaskPlane } from '@facex/imaging';
import { chooseDonor, renderWarpEdit } from '@facex/warp';

const OUT_DIR = join(__dirname, '../../docs/eval');
/** One face per row, from every photo, frontal to turned. */
const ROWS = ['sample1.jpg#1', 'sample2.jpg#1', 'sample3.jpg#1', 'sample4.jpg#1', 'sample5.jpg#0', 'sample5.jpg#1', 'sample6.jpg#0', 'sample6.jpg#3'];

/** A disc of 36 crop pixels' radius on the cheek (crop point 300, 300), drawn on the full image. */
function cheekDisc(person: Person): MaskPlane {
  const { width, height } = person.image;
  const matrix = person.representation.alignment.matrix;
  const [cx, cy] = applyAffine(invertAffine(matrix), 300, 300);
  const r = 36 / Math.hypot(matrix[0], matrix[1]);
  const data = new Uint8Array(width * height);
  for (let y = Math.floor(cy - r); y <= cy + r; y++)
    for (let x = Math.floor(cx - r); x <= cx + r; x++) if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r) data[y * width + x] = 255;
  return { data, width, height };
}

interface Column {
  name: string;
  recipe: Recipe;
  /** Where the detail ratio is measured (the regenerated regions); none for the drawn disc. */
  regions: RegionName[];
  drawn?: boolean;
  bank: boolean;
}

const inpaint = (regions: RegionName[], userMask = false) => recipeFromPreset({ preset: 'inpaint', image: 0, regions, userMask });
const maskOut = (regions: RegionName[]) => recipeFromPreset({ preset: 'attribute-edit', target: 0, regions, mode: 'mask-out' });
const COLUMNS: Column[] = [
  { name: 'inpaint nose + lips', recipe: inpaint(['nose', 'lips']), regions: ['nose', 'lips'], bank: true },
  { name: 'inpaint eyes', recipe: inpaint(['eyes']), regions: ['eyes'], bank: true },
  { name: 'drawn disc (cheek)', recipe: inpaint([], true), regions: [], drawn: true, bank: true },
  { name: 'mask-out lips', recipe: maskOut(['lips']), regions: ['lips'], bank: true },
  { name: 'mask-out hair', recipe: maskOut(['hair']), regions: ['hair'], bank: true },
  { name: 'nose + lips, no bank', recipe: inpaint(['nose', 'lips']), regions: ['nose', 'lips'], bank: false },
];

async function main(): Promise<void> {
  const [people, bank] = await Promise.all([analyzeSamplePeople(), FaceBank.open(defaultBankDir())]);
  const rows: SheetCell[][] = [];
  const lines = [
    '# Regeneration from the face bank (`warp`)',
    '',
    `Face bank ${bank.version} (${bank.donors.length} donors); \`npm run eval:regeneration\`. Per edit: the donor (photo#face) and`,
    'the high-frequency energy of the regenerated regions over that of the same regions of the real face (1 = as',
    'detailed as the real face; a fill from the surroundings keeps ≈ 0.1). Sheet: docs/eval/regeneration-warp.png.',
    '',
    `| face | ${COLUMNS.map((c) => c.name).join(' | ')} |`,
    `|---|${COLUMNS.map(() => '---').join('|')}|`,
  ];
  for (const id of ROWS) {
    const person = people.find((p) => p.id === id);
    if (!person) throw new Error(`no sample person ${id}`);
    const input: AssemblyInput = { representation: person.representation, image: person.image };
    const alignment = person.representation.alignment.matrix;
    const real = warpRgb(person.image, alignment, 512, 512);
    const cells: SheetCell[] = [{ image: person.image, alignment }];
    const notes: string[] = [];
    for (const column of COLUMNS) {
      const options = column.drawn ? { userMask: cheekDisc(person) } : {};
      const donor = column.bank ? await chooseDonor(bank, column.recipe, [input], options) : undefined;
      const edit = renderWarpEdit(column.recipe, [input], { ...options, donor });
      cells.push({ image: edit.image, alignment });
      const area = column.regions.length > 0 ? erodeSquare(upsampleMaskBinary2x(regionsUnion(person.representation, column.regions)), 2) : undefined;
      const ratio = area ? (highFrequencyEnergy(edit.crop, area) / highFrequencyEnergy(real, area)).toFixed(2) : '–';
      notes.push(edit.donor ? `${edit.donor.label.split('/').pop()} (${ratio}, cover ${edit.donor.coverage.toFixed(2)})` : `no donor (${ratio})`);
    }
    rows.push(cells);
    lines.push(`| ${id} | ${notes.join(' | ')} |`);
  }
  writeFileSync(join(OUT_DIR, 'regeneration-warp.png'), await encodePng(contactSheet(rows), 9));
  writeFileSync(join(OUT_DIR, 'regeneration-warp.md'), `${lines.join('\n')}\n`);
  console.log(lines.join('\n'));
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
