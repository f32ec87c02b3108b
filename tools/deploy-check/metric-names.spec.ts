import { METRIC_NAME_LIST, QUEUE_STATES } from '@facex/metrics';
import { QUEUE_NAMES } from '@facex/queue';
import { exportedSeriesNames } from './exported-metrics';
import { labelValuesIn, metricNamesIn } from './promql-names';
import { allRules, dashboardExpressions, loadRuleGroups, recordedNames } from './rules';

describe('metricNamesIn', () => {
  it('reads metric names and skips functions, keywords, labels, strings, durations and grouping clauses', () => {
    const expr = 'histogram_quantile(0.95, sum by (queue, le) (rate(facex_queue_wait_seconds_bucket{queue="gpu", le!~"by|on"}[10m] offset 5m))) > 1.5e2';
    expect([...metricNamesIn(expr)]).toEqual(['facex_queue_wait_seconds_bucket']);
  });

  it('reads both sides of binary operators with vector matching, and recording-rule names with colons', () => {
    const expr = 'facex:queue_jobs:max{state="waiting"} > 0 unless on (queue) group_left (state) facex:queue_jobs_started:rate10m > bool 0 or absent(up)';
    expect([...metricNamesIn(expr)].sort()).toEqual(['facex:queue_jobs:max', 'facex:queue_jobs_started:rate10m', 'up']);
  });

  it('refuses an unbalanced expression', () => {
    expect(() => metricNamesIn('sum(rate(x{a="b"[5m]))')).toThrow(/unbalanced/);
  });
});

describe('labelValuesIn', () => {
  it('reads equality and regex matchers of one label, not of labels that end with its name', () => {
    expect([...labelValuesIn('x{queue="a", subqueue="z"} + y{queue=~"b|c"} unless z{queue!="d"}', 'queue')]).toEqual(['a', 'b', 'c', 'd']);
  });
});

describe('the rules and the dashboard', () => {
  const expressions = (): string[] => [...allRules(loadRuleGroups()).map((rule) => rule.expr), ...dashboardExpressions()];

  it('select queues by the names the services label them with (BullMQ queue names) and states they export', () => {
    const queues = new Set(expressions().flatMap((expr) => [...labelValuesIn(expr, 'queue')]));
    expect([...queues].filter((queue) => !Object.values(QUEUE_NAMES).includes(queue))).toEqual([]);
    const states = new Set(expressions().flatMap((expr) => [...labelValuesIn(expr, 'state')]));
    expect([...states].filter((state) => !(QUEUE_STATES as readonly string[]).includes(state))).toEqual([]);
  });

  it('use only series the services export (or the rules record), and cover every FaceX metric', async () => {
    const groups = loadRuleGroups();
    const exported = await exportedSeriesNames();
    const recorded = recordedNames(groups);
    const expressions = [...allRules(groups).map((rule) => rule.expr), ...dashboardExpressions()];
    const used = new Set(expressions.flatMap((expr) => [...metricNamesIn(expr)]));
    expect([...used].filter((name) => !exported.has(name) && !recorded.has(name))).toEqual([]);
    // Every metric the services define is watched somewhere (a histogram through one of its series).
    const watched = [...used].map((name) => name.replace(/_(bucket|sum|count)$/, ''));
    expect(METRIC_NAME_LIST.filter((name) => !watched.includes(name))).toEqual([]);
  });

  it('would catch a misspelt metric', async () => {
    const exported = await exportedSeriesNames();
    expect(exported.has('facex_queue_wait_seconds_bucket')).toBe(true);
    expect(exported.has('facex_edits_finished_total')).toBe(false);
  });
});
