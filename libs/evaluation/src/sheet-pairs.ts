/**
 * Which pairs a contact sheet shows: half of its rows the hardest poses, half the first evaluated pairs
 * (typical cases), deterministically.
 *   - pairs of people: the ordered pairs of distinct people with the largest pose gap (L2 of FORD's yaw, pitch
 *     and roll, degrees), taken greedily from the largest, each person at most once as the source and once as
 *     the target (so that one profile face does not fill the sheet);
 *   - one person at a time: the people whose head is turned furthest (largest |yaw|).
 * Ties fall to the lower person index. The rest of the rows are the evaluated pairs in their order, skipping
 * any already shown.
 */
import type { HeadPose } from '@facex/contracts';
import type { PersonPair } from './pairs';

export const SHEET_ROWS = 12;

const gap = (a: HeadPose, b: HeadPose): number => Math.hypot(a.yaw - b.yaw, a.pitch - b.pitch, a.roll - b.roll);

export function hardestPairs(poses: readonly HeadPose[], subjects: 'pairs' | 'people', count: number): PersonPair[] {
  if (subjects === 'people') {
    return poses
      .map((pose, i) => ({ i, turn: Math.abs(pose.yaw) }))
      .sort((a, b) => b.turn - a.turn || a.i - b.i)
      .slice(0, count)
      .map(({ i }) => ({ source: i, target: i }));
  }
  const all = poses.flatMap((a, source) => poses.map((b, target) => ({ source, target, gap: gap(a, b) }))).filter((p) => p.source !== p.target);
  all.sort((a, b) => b.gap - a.gap || a.source - b.source || a.target - b.target);
  const chosen: PersonPair[] = [];
  const sources = new Set<number>(),
    targets = new Set<number>();
  for (const { source, target } of all) {
    if (chosen.length >= count) break;
    if (sources.has(source) || targets.has(target)) continue;
    sources.add(source);
    targets.add(target);
    chosen.push({ source, target });
  }
  return chosen;
}

export function sheetPairs(poses: readonly HeadPose[], subjects: 'pairs' | 'people', evaluated: readonly PersonPair[], rows = SHEET_ROWS): PersonPair[] {
  const hard = hardestPairs(poses, subjects, Math.ceil(rows / 2));
  const key = (p: PersonPair) => `${p.source}-${p.target}`;
  const shown = new Set(hard.map(key));
  const typical = evaluated.filter((p) => !shown.has(key(p))).slice(0, rows - hard.length);
  return [...hard, ...typical];
}

/** The pose gap between the two people of a pair (degrees), for row labels. */
export function poseGap(poses: readonly HeadPose[], pair: PersonPair): number {
  return gap(poses[pair.source], poses[pair.target]);
}
