/**
 * The series names the services export, read from the metrics library itself (so a renamed metric breaks the
 * check): FaceX's own metrics and prom-client's default process metrics, histograms expanded to their
 * `_bucket`, `_sum` and `_count` series, plus the `up` series Prometheus writes for every target.
 */
import { createMetrics } from '@facex/metrics';

const HISTOGRAM_SERIES = ['_bucket', '_sum', '_count'];
const SUMMARY_SERIES = ['_sum', '_count'];

export async function exportedSeriesNames(): Promise<Set<string>> {
  const metrics = await createMetrics('deploy-check').registry.getMetricsAsJSON();
  const names = new Set<string>(['up']);
  for (const { name, type } of metrics) {
    const kind = String(type);
    const suffixes = kind === 'histogram' ? HISTOGRAM_SERIES : kind === 'summary' ? ['', ...SUMMARY_SERIES] : [''];
    for (const suffix of suffixes) names.add(name + suffix);
  }
  return names;
}
