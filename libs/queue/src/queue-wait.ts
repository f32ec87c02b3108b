import type { Job } from 'bullmq';
import type { Redis } from 'ioredis';

/**
 * Seconds a job waited for a worker: since it was added, or for a flow parent since its last child finished
 * (a parent becomes ready only then, so its own timestamp would count the children's work as waiting).
 */
export async function queueWaitSeconds(job: Job, redis: Redis): Promise<number> {
  const startedAt = job.processedOn ?? Date.now();
  let readyAt = job.timestamp;
  const { processed } = await job.getDependencies({ processed: {} });
  const children = Object.keys(processed ?? {});
  if (children.length > 0) {
    // child keys are the children's job hashes; one round trip for all their finish times
    const replies = (await redis.pipeline(children.map((key) => ['hget', key, 'finishedOn'])).exec()) ?? [];
    for (const [, finishedOn] of replies) readyAt = Math.max(readyAt, Number(finishedOn) || 0);
  }
  return Math.max(0, startedAt - readyAt) / 1000;
}
