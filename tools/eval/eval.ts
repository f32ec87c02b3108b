/**
 * `npm run eval -- --generator warp --task face-swap|head-swap|reenact [--pairs 30] [--self 10]`
 * Runs the evaluation harness (libs/evaluation) on the people of the six sample photos, prints the markdown
 * table and writes it, with a contact sheet of the first pairs, to docs/eval/<task>-<generator>.{md,png}.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { FaceAnalyzer } from '@facex/analysis';
import {
  contactSheet,
  encodePng,
  EVAL_TASKS,
  evaluationMarkdown,
  loadSamplePeople,
  orderedPairs,
  runEvaluation,
  type EvalTask,
  type EvaluationResult,
  type Person,
  type RenderFunction,
  type SheetCell,
} from '@facex/evaluation';
import { WarpGenerator } from '@facex/warp';

const SHEET_ROWS = 8;
const OUT_DIR = join(__dirname, '../../docs/eval');

/** Generators the harness can judge; each opens its resources and returns a render function and a closer. */
const GENERATORS: Record<string, () => Promise<{ render: RenderFunction; close: () => Promise<void> }>> = {
  warp: async () => {
    const generator = await WarpGenerator.open({ workers: 1 });
    return {
      render: async (recipe, inputs) => {
        const edit = await generator.render(recipe, inputs);
        return { image: edit.image, degraded: edit.quality.flag === 'degraded' };
      },
      close: () => generator.close(),
    };
  },
};

function sheetRows(result: EvaluationResult, people: readonly Person[]): SheetCell[][] {
  const cell = (person: Person): SheetCell => ({ image: person.image, alignment: person.representation.alignment.matrix });
  const pairs = [...new Map(result.outputs.map((o) => [`${o.pair.source}-${o.pair.target}`, o.pair])).values()].slice(0, SHEET_ROWS);
  return pairs.map((pair) => {
    const frame = people[result.task === 'reenact' ? pair.source : pair.target];
    const outputs = result.outputs.filter((o) => o.pair === pair).map((o) => ({ image: o.image, alignment: frame.representation.alignment.matrix }));
    return [cell(people[pair.source]), cell(people[pair.target]), ...outputs];
  });
}

function wholeNumber(text: string, flag: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${flag} must be a whole number ≥ 0, got ${text}`);
  return value;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { generator: { type: 'string', default: 'warp' }, task: { type: 'string', default: 'face-swap' }, pairs: { type: 'string', default: '30' }, self: { type: 'string', default: '10' } },
  });
  const task = values.task as EvalTask;
  if (!EVAL_TASKS.includes(task)) throw new Error(`--task must be one of ${EVAL_TASKS.join(', ')}`);
  const open = GENERATORS[values.generator];
  if (!open) throw new Error(`--generator must be one of ${Object.keys(GENERATORS).join(', ')}`);
  const [pairCap, selfPeople] = [wholeNumber(values.pairs, '--pairs'), wholeNumber(values.self, '--self')];
  const analyzer = await FaceAnalyzer.open({ workers: 1 });
  const generator = await open();
  try {
    const people = await loadSamplePeople(analyzer);
    const pairs = orderedPairs(people.length, pairCap);
    const result = await runEvaluation({
      task,
      generator: { name: values.generator, render: generator.render },
      people,
      pairs,
      selfPeople,
      measure: async (image) => analyzer.analyzeAll(await encodePng(image)),
    });
    const markdown = evaluationMarkdown(result);
    const outputs = result.rows.map((row) => row.method).filter((method) => !method.endsWith('unchanged'));
    const columns = [task === 'reenact' ? 'source, driving' : 'source, target', ...outputs].join(', ');
    const caption = `${people.length} people, ${pairs.length} ordered pairs (order: libs/evaluation/src/pairs.ts). Contact sheet columns: ${columns}.`;
    console.log(markdown);
    mkdirSync(OUT_DIR, { recursive: true });
    const base = join(OUT_DIR, `${task}-${values.generator}`);
    writeFileSync(`${base}.md`, `${markdown}\n${caption}\n`);
    writeFileSync(`${base}.png`, await encodePng(contactSheet(sheetRows(result, people)), 9));
    console.log(`wrote ${base}.md and ${base}.png`);
  } finally {
    await generator.close();
    await analyzer.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
