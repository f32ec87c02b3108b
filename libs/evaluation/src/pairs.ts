/**
 * The fixed, documented pair order: every ordered pair (source, target) of distinct people, listed by
 * offset: first each person i with person i + 1 (mod n), then with i + 2, and so on, so that any prefix
 * spreads over all people as sources and as targets; the list is then capped.
 */
import { FacexError } from '@facex/contracts';

export interface PersonPair {
  source: number;
  target: number;
}

export function orderedPairs(people: number, cap = Infinity): PersonPair[] {
  if (!Number.isInteger(people) || people < 2) {
    throw new FacexError('invalid_recipe', `people: pairs need at least 2 people, got ${people}`, { field: 'people' });
  }
  const pairs: PersonPair[] = [];
  for (let offset = 1; offset < people && pairs.length < cap; offset++) {
    for (let source = 0; source < people && pairs.length < cap; source++) pairs.push({ source, target: (source + offset) % people });
  }
  return pairs;
}
