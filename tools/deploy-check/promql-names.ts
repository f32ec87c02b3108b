/**
 * The metric names a PromQL expression reads. A small lexer, enough for the rule and dashboard expressions:
 * strings, label matchers `{...}`, range/subquery brackets `[...]` and grouping clauses `by (...)` are
 * skipped; an identifier followed by `(` is a function; keywords, aggregation operators (which may be
 * followed by `by (...)` before their parenthesis), numbers and durations are not names.
 */
const AGGREGATIONS = ['sum', 'min', 'max', 'avg', 'group', 'stddev', 'stdvar', 'count', 'count_values', 'bottomk', 'topk', 'quantile'];
const KEYWORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'and',
  'or',
  'unless',
  'offset',
  'inf',
  'nan',
  'atan2',
  ...AGGREGATIONS,
]);
const GROUPING = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right']);
const IDENTIFIER = /[a-zA-Z_:][a-zA-Z0-9_:]*/y;

/** Index just past the bracket that closes the one at `start` (strings inside are skipped). */
function skipBalanced(expr: string, start: number, open: string, close: string): number {
  let depth = 0;
  for (let i = start; i < expr.length; i++) {
    const char = expr[i];
    if (char === '"' || char === "'" || char === '`') i = skipString(expr, i) - 1;
    else if (char === open) depth++;
    else if (char === close && --depth === 0) return i + 1;
  }
  throw new Error(`PromQL: unbalanced '${open}' at ${start} in: ${expr}`);
}

function skipString(expr: string, start: number): number {
  const quote = expr[start];
  for (let i = start + 1; i < expr.length; i++) {
    if (expr[i] === '\\' && quote !== '`') i++;
    else if (expr[i] === quote) return i + 1;
  }
  throw new Error(`PromQL: unterminated string at ${start} in: ${expr}`);
}

function nextNonSpace(expr: string, from: number): number {
  let i = from;
  while (i < expr.length && /\s/.test(expr[i])) i++;
  return i;
}

export function metricNamesIn(expr: string): Set<string> {
  const names = new Set<string>();
  let i = 0;
  while (i < expr.length) {
    const char = expr[i];
    if (char === '"' || char === "'" || char === '`') i = skipString(expr, i);
    else if (char === '{') i = skipBalanced(expr, i, '{', '}');
    else if (char === '[') i = skipBalanced(expr, i, '[', ']');
    else if (char === '#') i = expr.indexOf('\n', i) < 0 ? expr.length : expr.indexOf('\n', i);
    else if (/[0-9.]/.test(char)) {
      // Numbers and durations (5m, 1.5e3, 0x1f): consume the whole literal.
      while (i < expr.length && /[0-9a-zA-Z_.+]/.test(expr[i]) && !(expr[i] === '+' && !/[eE]/.test(expr[i - 1]))) i++;
    } else if (/[a-zA-Z_:]/.test(char)) {
      IDENTIFIER.lastIndex = i;
      const word = IDENTIFIER.exec(expr)?.[0] ?? char;
      const after = nextNonSpace(expr, i + word.length);
      const lower = word.toLowerCase();
      if (GROUPING.has(lower) && expr[after] === '(') i = skipBalanced(expr, after, '(', ')');
      else {
        if (expr[after] !== '(' && !KEYWORDS.has(lower)) names.add(word);
        i += word.length;
      }
    } else i++;
  }
  return names;
}

/**
 * The values an expression's label matchers give `label` (`queue="a"`, `queue=~"a|b"`, negated ones too);
 * a regex matcher counts as its `|`-separated alternatives, which is all the rules use.
 */
export function labelValuesIn(expr: string, label: string): Set<string> {
  const values = new Set<string>();
  const matcher = new RegExp(`(?<![a-zA-Z0-9_])${label}\\s*(=~|!~|!=|=)\\s*"([^"]*)"`, 'g');
  for (const [, operator, value] of expr.matchAll(matcher)) {
    for (const alternative of operator.includes('~') ? value.split('|') : [value]) values.add(alternative);
  }
  return values;
}
