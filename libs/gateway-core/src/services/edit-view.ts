/** The API view of an edit record: no tenant, no storage key; the result as a link. */
import { samples, type EditRecord, type EditResponse } from '@facex/contracts';

export function editPath(editId: string): string {
  return `/v1/edits/${editId}`;
}

/** Options a generator ignores are not echoed (honest outputs): steps and guidance only where it samples. */
export function toEditResponse(record: EditRecord): EditResponse {
  const { tenant: _tenant, result, options: recorded, ...fields } = record;
  const { steps, guidance, ...always } = recorded;
  const rest = { ...fields, options: samples(recorded.generator) ? { ...always, steps, guidance } : always };
  if (result === null) return { ...rest, result: null };
  const { key: _key, ...visible } = result;
  return { ...rest, result: { ...visible, url: `${editPath(record.id)}/result` } };
}
