/**
 * `npm run deploy:check`: every check CI runs on deploy/, outside jest, with one line per check. Unlike the
 * tests it fails (rather than skips) when kubectl or promtool is missing: whoever runs it wants the answer.
 */
import { findTool, missingToolMessage } from './binaries';
import { checkDockerfile, dockerfileNames, readDockerfile } from './dockerfiles';
import { exportedSeriesNames } from './exported-metrics';
import { overlayNames, renderOverlay } from './manifests';
import { checkOverlay } from './manifest-checks';
import { checkRules, testRules } from './promtool';
import { metricNamesIn } from './promql-names';
import { allRules, dashboardExpressions, loadRuleGroups, recordedNames } from './rules';
import { validateObjects } from './schema-validate';

interface CheckResult {
  readonly name: string;
  readonly problems: readonly string[];
}

async function overlayChecks(): Promise<CheckResult[]> {
  const kubectl = findTool('kubectl');
  if (!kubectl) return [{ name: 'overlays', problems: [missingToolMessage('kubectl')] }];
  const results: CheckResult[] = [];
  for (const overlay of overlayNames()) {
    const objects = await renderOverlay(kubectl, overlay);
    const schemaProblems = (await validateObjects(objects)).map(({ ref, error }) => `${ref}: ${error}`);
    results.push({ name: `overlay ${overlay}: ${objects.length} objects against their schemas`, problems: schemaProblems });
    results.push({ name: `overlay ${overlay}: deployment requirements`, problems: checkOverlay(objects) });
  }
  return results;
}

async function ruleChecks(): Promise<CheckResult[]> {
  const groups = loadRuleGroups();
  const exported = await exportedSeriesNames();
  const recorded = recordedNames(groups);
  const expressions = [...allRules(groups).map((rule) => rule.expr), ...dashboardExpressions()];
  const unknown = [...new Set(expressions.flatMap((expr) => [...metricNamesIn(expr)]))].filter((name) => !exported.has(name) && !recorded.has(name));
  const results: CheckResult[] = [{ name: 'metric names in rules and dashboard', problems: unknown.map((name) => `${name} is not exported by the services`) }];
  const promtool = findTool('promtool');
  if (!promtool) return [...results, { name: 'promtool', problems: [missingToolMessage('promtool')] }];
  for (const [name, run] of [
    ['promtool check rules', checkRules],
    ['promtool test rules', testRules],
  ] as const) {
    const result = await run(promtool, groups);
    results.push({ name, problems: result.ok ? [] : [result.output.trim()] });
  }
  return results;
}

function dockerfileChecks(): CheckResult[] {
  return dockerfileNames().map((name) => ({
    name: `deploy/docker/${name}`,
    problems: checkDockerfile(readDockerfile(name), { service: name !== 'model-pack.Dockerfile' }),
  }));
}

async function main(): Promise<void> {
  const results = [...(await overlayChecks()), ...(await ruleChecks()), ...dockerfileChecks()];
  for (const { name, problems } of results) {
    console.log(`${problems.length === 0 ? 'ok  ' : 'FAIL'} ${name}`);
    for (const problem of problems) console.log(`     ${problem}`);
  }
  process.exitCode = results.every((result) => result.problems.length === 0) ? 0 : 1;
}

void main();
