/**
 * `npm run eval -- [--task face-swap|head-swap|reenact|inpaint|inpaint-drawn|attribute-add|attribute-remove|all|motion]
 *                  [--pairs 30] [--self 10] [--people 22] [--controls yaw,gazePitch,…] [--compare <git revision>] [--generator warp]`
 * Runs the evaluation harness (libs/evaluation) with the working tree's `warp` generator on the people of the
 * six sample photos, measured by FORD and by the independent judge (the facex-judge pack, built on first use).
 * `--compare` renders another revision's warp beside it on the same pairs (see revision-renderer.ts). Per task
 * it prints the table and writes docs/eval/<task>-warp.md, the contact sheet docs/eval/<task>-warp.png and the
 * machine-readable docs/eval/results/<task>-warp.json (which keeps earlier revisions' rows; see results.ts).
 * `--task motion` runs the motion controls on every person alone (libs/evaluation motion-eval.ts; `--people`
 * takes the first n, `--controls` evaluates only the named controls) and writes docs/eval/motion-warp.{md,png} and
 * docs/eval/results/motion-warp.json.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { FaceAnalyzer } from '@facex/analysis';
import {
  EVAL_TASKS,
  encodePng,
  evaluationMarkdown,
  FaceJudge,
  labelledContactSheet,
  loadSamplePeople,
  motionMarkdown,
  MOTION_REQUESTS,
  parseResults,
  runMotionEvaluation,
  SHEET_REQUESTS,
  orderedPairs,
  poseGap,
  runEvaluation,
  selfPairs,
  serialiseResults,
  sheetPairs,
  storeResults,
  TASKS,
  withEarlierRevisions,
  type EvalTask,
  type EvaluatedGenerator,
  type EvaluationResult,
  type MotionRequest,
  type Person,
  type SheetCell,
} from '@facex/evaluation';
import { defaultBankDir } from '@facex/face-bank';
import { warpRgb } from '@facex/imaging';
import { WarpGenerator } from '@facex/warp';
import { openRevisionRenderer, type RevisionRenderer } from './revision-renderer';

const OUT_DIR = join(__dirname, '../../docs/eval');
/** The sheet's cells are already the frame face's aligned crops. */
const IDENTITY_AFFINE: SheetCell['alignment'] = [1, 0, 0, 0, 1, 0];
const GENERATOR = 'warp';

function wholeNumber(text: string, flag: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${flag} must be a whole number ≥ 0, got ${text}`);
  return value;
}

/** The motion requests of the named controls (comma-separated), or all of them. */
function motionRequests(controls: string | undefined): readonly MotionRequest[] {
  if (controls === undefined) return MOTION_REQUESTS;
  const names = controls.split(',');
  const known = new Set(MOTION_REQUESTS.map((r) => r.control as string));
  const unknown = names.filter((name) => !known.has(name));
  if (unknown.length > 0) throw new Error(`--controls: unknown ${unknown.join(', ')}; evaluated controls: ${[...known].join(', ')}`);
  return MOTION_REQUESTS.filter((r) => names.includes(r.control));
}

const shortId = (person: Person): string => person.id.replace('sample', 's').replace('.jpg', '');

function sheetPng(result: EvaluationResult, people: readonly Person[]): Promise<Buffer> {
  const definition = TASKS[result.task];
  const poses = people.map((p) => p.representation.motion.pose);
  const cell = (image: SheetCell['image']): SheetCell => ({ image, alignment: IDENTITY_AFFINE });
  const inputNames =
    definition.subjects === 'people'
      ? ['input']
      : result.task === 'reenact'
        ? ['source', 'driving']
        : result.task === 'attribute-add'
          ? ['hair donor', 'target']
          : ['source', 'target'];
  const columns = [...inputNames, ...(result.sheet[0]?.outputs.map((o) => o.method) ?? [])];
  const labels = result.sheet.map(({ pair }) => {
    if (definition.subjects === 'people') return `${shortId(people[pair.target])} yaw ${people[pair.target].representation.motion.pose.yaw.toFixed(0)}°`;
    return `${shortId(people[pair.source])} → ${shortId(people[pair.target])} pose gap ${poseGap(poses, pair).toFixed(0)}°`;
  });
  return labelledContactSheet(
    result.sheet.map((row) => [...row.inputs, ...row.outputs.map((o) => o.crop)].map(cell)),
    columns,
    labels,
  );
}

async function evaluateTask(
  task: EvalTask,
  context: {
    people: Person[];
    pairCap: number;
    selfPeople: number;
    generator: EvaluatedGenerator;
    compare: EvaluatedGenerator[];
    analyzer: FaceAnalyzer;
    judge: FaceJudge;
  },
): Promise<void> {
  const { people, analyzer, judge } = context;
  const definition = TASKS[task];
  const pairs = definition.subjects === 'people' ? selfPairs(people.length, context.pairCap) : orderedPairs(people.length, context.pairCap);
  const started = performance.now();
  const result = await runEvaluation({
    task,
    generator: context.generator,
    compare: context.compare,
    people,
    pairs,
    selfPeople: context.selfPeople,
    measure: async (image) => analyzer.analyzeAll(await encodePng(image)),
    judge: (image) => judge.describe(image),
    sheetPairs: sheetPairs(
      people.map((p) => p.representation.motion.pose),
      definition.subjects,
      pairs,
    ),
  });
  mkdirSync(join(OUT_DIR, 'results'), { recursive: true });
  const jsonPath = join(OUT_DIR, 'results', `${task}-${GENERATOR}.json`);
  const previous = existsSync(jsonPath) ? parseResults(readFileSync(jsonPath, 'utf8')) : null;
  const stored = withEarlierRevisions(
    storeResults(
      result,
      GENERATOR,
      judge.manifest.version,
      people.map((p) => p.id),
      pairs,
    ),
    previous,
  );
  const markdown = evaluationMarkdown(stored);
  const subjects =
    definition.subjects === 'people' ? `${pairs.length} people, each edited alone` : `${pairs.length} ordered pairs (order: libs/evaluation/src/pairs.ts)`;
  const caption = `${people.length} people; ${subjects}; judge pack ${judge.manifest.version}. Contact sheet: ${result.sheet.length} rows (libs/evaluation/src/sheet-pairs.ts).`;
  console.log(markdown);
  writeFileSync(jsonPath, serialiseResults(stored));
  writeFileSync(join(OUT_DIR, `${task}-${GENERATOR}.md`), `${markdown}\n${caption}\n`);
  writeFileSync(join(OUT_DIR, `${task}-${GENERATOR}.png`), await sheetPng(result, people));
  console.log(
    `${task}: ${((performance.now() - started) / 1000).toFixed(0)} s; wrote docs/eval/${task}-${GENERATOR}.{md,png} and docs/eval/results/${task}-${GENERATOR}.json`,
  );
}

/** The motion controls on every person alone (see the module comment). */
async function evaluateMotion(context: {
  people: Person[];
  requests: readonly MotionRequest[];
  generator: EvaluatedGenerator;
  analyzer: FaceAnalyzer;
  judge: FaceJudge;
}): Promise<void> {
  const { people, requests, analyzer, judge } = context;
  const started = performance.now();
  const result = await runMotionEvaluation({
    people,
    requests,
    render: context.generator.render,
    measure: async (image) => analyzer.analyzeAll(await encodePng(image)).catch(() => []),
    judge: (image) => judge.describe(image),
    crop: (image, person) => warpRgb(image, person.representation.alignment.matrix, 512, 512),
    onProgress: (done, total) => {
      if (done % 25 === 0 || done === total) console.log(`motion: ${done}/${total} renders, ${((performance.now() - started) / 1000).toFixed(0)} s`);
    },
  });
  const caption =
    `${people.length} people (every face of the sample photos, each edited alone on its own photo), ${requests.length} relative requests each ` +
    `(libs/evaluation/src/motion-eval.ts); measured by FORD on the output, identity by the judge pack ${judge.manifest.version}. ` +
    `Contact sheet: per person the input and ${SHEET_REQUESTS.map(({ control, value }) => `${control} ${value}`).join(', ')}.`;
  const markdown = motionMarkdown(result.summaries, caption);
  console.log(markdown);
  mkdirSync(join(OUT_DIR, 'results'), { recursive: true });
  writeFileSync(
    join(OUT_DIR, 'results', `motion-${GENERATOR}.json`),
    `${JSON.stringify({ generator: GENERATOR, judge: judge.manifest.version, people: people.map((p) => p.id), records: result.records, summaries: result.summaries }, null, 1)}\n`,
  );
  writeFileSync(join(OUT_DIR, `motion-${GENERATOR}.md`), `# Motion controls (${GENERATOR})\n\n${markdown}`);
  const columns = ['input', ...SHEET_REQUESTS.map(({ control, value }) => `${control} ${value > 0 ? '+' : ''}${value}`)];
  const cell = (image: SheetCell['image']): SheetCell => ({ image, alignment: IDENTITY_AFFINE });
  const sheet = await labelledContactSheet(
    result.sheet.map((row) => row.crops.map(cell)),
    columns,
    result.sheet.map((row) => shortId(people[row.person])),
  );
  writeFileSync(join(OUT_DIR, `motion-${GENERATOR}.png`), sheet);
  console.log(
    `motion: ${((performance.now() - started) / 1000).toFixed(0)} s; wrote docs/eval/motion-${GENERATOR}.{md,png} and docs/eval/results/motion-${GENERATOR}.json`,
  );
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      task: { type: 'string', default: 'face-swap' },
      pairs: { type: 'string', default: '30' },
      self: { type: 'string', default: '10' },
      compare: { type: 'string' },
      generator: { type: 'string', default: GENERATOR },
      people: { type: 'string' },
      controls: { type: 'string' },
    },
  });
  if (values.generator !== GENERATOR) throw new Error(`--generator: only ${GENERATOR} is evaluated (the diffusion generator needs a pack and a GPU)`);
  const motion = values.task === 'motion';
  const tasks = motion ? [] : values.task === 'all' ? [...EVAL_TASKS] : [values.task as EvalTask];
  if (!tasks.every((task) => EVAL_TASKS.includes(task))) throw new Error(`--task must be all, motion or one of ${EVAL_TASKS.join(', ')}`);
  const [pairCap, selfPeople] = [wholeNumber(values.pairs, '--pairs'), wholeNumber(values.self, '--self')];
  const analyzer = await FaceAnalyzer.open({ workers: 1 });
  const judge = await FaceJudge.open({ workers: 1 });
  // As the service opens it: with the face bank set-up builds (a face is never its own donor).
  const warp = await WarpGenerator.open({ workers: 1, faceBank: defaultBankDir() });
  let revision: RevisionRenderer | undefined;
  try {
    revision = values.compare ? await openRevisionRenderer(values.compare, GENERATOR) : undefined;
    // An interrupted run still removes the revision's temporary worktree.
    const opened = revision;
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        void (opened?.close() ?? Promise.resolve()).finally(() => process.exit(130));
      });
    }
    const generator: EvaluatedGenerator = {
      name: GENERATOR,
      render: async (recipe, inputs, options) => {
        const edit = await warp.render(recipe, inputs, options);
        return { image: edit.image, degraded: edit.quality.flag === 'degraded' };
      },
    };
    const everyone = await loadSamplePeople(analyzer);
    const people = values.people === undefined ? everyone : everyone.slice(0, wholeNumber(values.people, '--people'));
    if (motion) await evaluateMotion({ people, requests: motionRequests(values.controls), generator, analyzer, judge });
    for (const task of tasks)
      await evaluateTask(task, { people, pairCap, selfPeople, generator, compare: revision ? [revision.generator] : [], analyzer, judge });
  } finally {
    await revision?.close();
    await warp.close();
    await judge.close();
    await analyzer.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
