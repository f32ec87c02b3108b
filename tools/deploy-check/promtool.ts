/** `promtool check rules` and `promtool test rules` on the PrometheusRule's spec, in a scratch directory. */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ruleFileText, type RuleGroup } from './rules';

/** The rule file name the alert unit tests (alert-tests.yaml) load. */
export const RULE_FILE_NAME = 'facex.rules.yaml';
export const ALERT_TESTS_FILE = join(__dirname, 'alert-tests.yaml');

export interface PromtoolResult {
  readonly ok: boolean;
  readonly output: string;
}

function run(promtool: string, args: string[], cwd: string): Promise<PromtoolResult> {
  return new Promise((resolve) => {
    execFile(promtool, args, { cwd }, (error, stdout, stderr) => resolve({ ok: error === null, output: `${stdout}${stderr}` }));
  });
}

async function inScratchDir<T>(groups: readonly RuleGroup[], work: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'facex-rules-'));
  try {
    writeFileSync(join(dir, RULE_FILE_NAME), ruleFileText(groups));
    return await work(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function checkRules(promtool: string, groups: readonly RuleGroup[]): Promise<PromtoolResult> {
  return inScratchDir(groups, (dir) => run(promtool, ['check', 'rules', RULE_FILE_NAME], dir));
}

export function testRules(promtool: string, groups: readonly RuleGroup[], testsFile: string = ALERT_TESTS_FILE): Promise<PromtoolResult> {
  return inScratchDir(groups, (dir) => {
    copyFileSync(testsFile, join(dir, 'tests.yaml'));
    return run(promtool, ['test', 'rules', 'tests.yaml'], dir);
  });
}
