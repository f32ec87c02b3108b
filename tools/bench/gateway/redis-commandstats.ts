/** `INFO commandstats` parsed into calls per command, and the difference of two readings. */
export type CommandCalls = Map<string, number>;

export function parseCommandStats(info: string): CommandCalls {
  const calls: CommandCalls = new Map();
  for (const line of info.split(/\r?\n/)) {
    const match = /^cmdstat_([^:]+):calls=(\d+)/.exec(line);
    if (match) calls.set(match[1], Number(match[2]));
  }
  return calls;
}

/** Calls made between two readings, largest first; commands with no calls in between are left out. */
export function commandDelta(before: CommandCalls, after: CommandCalls): Array<[string, number]> {
  return [...after]
    .map(([name, count]): [string, number] => [name, count - (before.get(name) ?? 0)])
    .filter(([, count]) => count > 0)
    .sort((a, b) => b[1] - a[1]);
}
