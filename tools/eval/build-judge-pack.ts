/**
 * Part of `npm run setup`: builds (or verifies) the evaluation's judge pack, facex-judge, in $FACEX_MODELS_DIR
 * (default <repo>/models), from the face-api model files @vladmandic/face-api ships (pinned by hash).
 */
import { isFacexError } from '@facex/contracts';
import { defaultJudgePackDir, ensureJudgePack } from '@facex/evaluation';

async function main(): Promise<void> {
  const dir = defaultJudgePackDir();
  const started = performance.now();
  const { manifest, rebuilt } = await ensureJudgePack(dir);
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  console.log(
    `judge pack ${manifest.name} ${manifest.version} at ${dir}: ${rebuilt ? `built in ${seconds}s` : `already up to date (verified in ${seconds}s)`}`,
  );
}

main().catch((error: unknown) => {
  console.error(isFacexError(error) ? `setup failed: ${error.message}` : error);
  process.exit(1);
});
