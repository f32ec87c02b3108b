/** A job's payload checked against its schema at the worker boundary: what crossed Redis is not trusted. */
import { UnrecoverableError } from 'bullmq';
import { EditIdSchema, FacexError, JOB_PAYLOAD_SCHEMAS, type JobName, type JobPayloads } from '@facex/contracts';
import { z } from 'zod';

export type PayloadCheck<N extends JobName> = { ok: true; payload: JobPayloads[N] } | { ok: false; error: FacexError; editId: string | undefined };

export function checkJobPayload<N extends JobName>(name: N, jobId: string | undefined, data: unknown): PayloadCheck<N> {
  const schema: z.ZodType<JobPayloads[N]> = JOB_PAYLOAD_SCHEMAS[name] as unknown as z.ZodType<JobPayloads[N]>;
  const parsed = schema.safeParse(data);
  if (parsed.success) return { ok: true, payload: parsed.data };
  const editId = EditIdSchema.safeParse((data as { editId?: unknown } | null)?.editId);
  return {
    ok: false,
    error: new FacexError('invalid_job_payload', `job '${name}' (${jobId ?? 'no id'}): ${z.prettifyError(parsed.error)}`),
    editId: editId.success ? editId.data : undefined,
  };
}

/** The error a processor throws so BullMQ fails the job for good, keeping the original as its cause. */
export function unrecoverable(error: unknown): UnrecoverableError {
  const wrapped = new UnrecoverableError(error instanceof Error ? error.message : String(error));
  wrapped.cause = error;
  return wrapped;
}
