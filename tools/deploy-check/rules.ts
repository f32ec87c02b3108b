/**
 * The Prometheus rules and the Grafana dashboard as data: the PrometheusRule object (the single source of
 * the rules), its `spec` as a plain rule file for promtool, and every PromQL expression either one uses.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { K8S_DIR, field } from './manifests';

export const PROMETHEUS_RULE_FILE = join(K8S_DIR, 'base/monitoring/prometheus-rule.yaml');
export const DASHBOARD_FILE = join(K8S_DIR, 'base/monitoring/facex-dashboard.json');

export interface Rule {
  readonly record?: string;
  readonly alert?: string;
  readonly expr: string;
}
export interface RuleGroup {
  readonly name: string;
  /** Evaluation interval of the group; Prometheus' global one when absent. */
  readonly interval?: string;
  readonly rules: readonly Rule[];
}

export function loadRuleGroups(path: string = PROMETHEUS_RULE_FILE): RuleGroup[] {
  const object: unknown = parse(readFileSync(path, 'utf8'));
  const groups = field(object, 'spec.groups');
  if (!Array.isArray(groups)) throw new Error(`${path}: spec.groups is not a list`);
  return groups as RuleGroup[];
}

/** The rule file promtool and Prometheus read: the PrometheusRule's spec. */
export function ruleFileText(groups: readonly RuleGroup[]): string {
  return stringify({ groups });
}

export function allRules(groups: readonly RuleGroup[]): Rule[] {
  return groups.flatMap((group) => group.rules);
}

export function recordedNames(groups: readonly RuleGroup[]): Set<string> {
  return new Set(allRules(groups).flatMap((rule) => (rule.record ? [rule.record] : [])));
}

/** Every `expr` of every panel target, nested rows included. */
export function dashboardExpressions(path: string = DASHBOARD_FILE): string[] {
  const dashboard = JSON.parse(readFileSync(path, 'utf8')) as { panels?: unknown[] };
  const expressions: string[] = [];
  const visit = (panels: unknown[] | undefined): void => {
    for (const panel of panels ?? []) {
      for (const target of (field(panel, 'targets') as unknown[] | undefined) ?? []) {
        const expr = field(target, 'expr');
        if (typeof expr === 'string') expressions.push(expr);
      }
      visit(field(panel, 'panels') as unknown[] | undefined);
    }
  };
  visit(dashboard.panels);
  return expressions;
}
