/** The API view of an edit record: no tenant, no storage key; the result as a link. */
import type { EditRecord, EditResponse } from '@facex/contracts';

export function editPath(editId: string): string {
  return `/v1/edits/${editId}`;
}

export function toEditResponse(record: EditRecord): EditResponse {
  const { tenant: _tenant, result, ...rest } = record;
  if (result === null) return { ...rest, result: null };
  const { key: _key, ...visible } = result;
  return { ...rest, result: { ...visible, url: `${editPath(record.id)}/result` } };
}
