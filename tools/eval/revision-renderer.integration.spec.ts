import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeSamplePeople, TASKS, type Person } from '@facex/evaluation';
import { openRevisionRenderer, type RevisionRenderer } from './revision-renderer';

/** The renderer needs the repository's git history; a checkout without it (a tarball) skips the suite. */
function hasGitHistory(): boolean {
  try {
    execFileSync('git', ['rev-parse', '--verify', 'HEAD^{commit}'], { cwd: join(__dirname, '../..'), stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

(hasGitHistory() ? describe : describe.skip)('another revision’s warp', () => {
  let renderer: RevisionRenderer;
  let people: Person[];
  beforeAll(async () => {
    [renderer, people] = await Promise.all([openRevisionRenderer('HEAD'), analyzeSamplePeople(['sample1.jpg'])]);
  }, 120_000);
  afterAll(() => renderer?.close());

  it('renders a recipe in a worktree of that revision and removes the worktree on close', async () => {
    const hash = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: join(__dirname, '../..') })
      .toString()
      .trim();
    expect(renderer.generator).toMatchObject({ name: `warp@${hash}`, revision: hash });
    const [source, target] = people;
    const edit = await renderer.generator.render(
      TASKS['face-swap'].recipe,
      [source, target].map((p) => ({ representation: p.representation, image: p.image })),
    );
    expect([edit.image.width, edit.image.height]).toEqual([target.image.width, target.image.height]);
    // The face changed, the corner of the photo did not.
    const { x, y } = target.representation.detection.box;
    const centre =
      (Math.round(y + target.representation.detection.box.height / 2) * target.image.width + Math.round(x + target.representation.detection.box.width / 2)) * 3;
    expect(Buffer.from(edit.image.data.subarray(0, 300)).equals(Buffer.from(target.image.data.subarray(0, 300)))).toBe(true);
    expect(Buffer.from(edit.image.data.subarray(centre - 300, centre + 300)).equals(Buffer.from(target.image.data.subarray(centre - 300, centre + 300)))).toBe(
      false,
    );
    const worktrees = execFileSync('git', ['worktree', 'list', '--porcelain'], { cwd: join(__dirname, '../..') }).toString();
    const dir = worktrees
      .split('\n')
      .find((line) => line.includes(`facex-eval-${hash}-`))
      ?.slice('worktree '.length);
    expect(dir && existsSync(dir)).toBe(true);
    await renderer.close();
    expect(existsSync(dir as string)).toBe(false);
  }, 120_000);
});
