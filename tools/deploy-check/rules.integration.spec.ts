import { findTool, missingToolMessage } from './binaries';
import { checkRules, testRules } from './promtool';
import { allRules, loadRuleGroups } from './rules';

const promtool = findTool('promtool');

it('defines the alerts the issue asks for: queue wait, failure ratio, webhook backlog, worker stalls', () => {
  const alerts = allRules(loadRuleGroups()).flatMap((rule) => (rule.alert ? [rule.alert] : []));
  expect(alerts).toEqual(expect.arrayContaining(['FacexGpuQueueWaitTooLong', 'FacexEditFailureRatioHigh', 'FacexWebhookBacklog', 'FacexWorkerStalled']));
});

(promtool ? describe : describe.skip)(promtool ? `the PrometheusRule's rules, by ${promtool}` : missingToolMessage('promtool'), () => {
  it('pass promtool check rules', async () => {
    const result = await checkRules(promtool as string, loadRuleGroups());
    expect(result.output).toContain('SUCCESS');
    expect(result.ok).toBe(true);
  });

  it('fire, with their annotations, on the series of each trouble and not on healthy ones (promtool test rules)', async () => {
    const result = await testRules(promtool as string, loadRuleGroups());
    expect(result.output).toContain('SUCCESS');
    expect(result.ok).toBe(true);
  });

  it('are refused by promtool when an expression is broken (the check can fail)', async () => {
    const broken = [{ name: 'broken', rules: [{ alert: 'Broken', expr: 'sum(rate(facex_edits_total[5m])' }] }];
    expect((await checkRules(promtool as string, broken)).ok).toBe(false);
  });
});
