import { newEditRecord, recipeFromPreset, type EditRecord } from '@facex/contracts';
import { streamEditEvents } from './edit-event-stream';

const base = newEditRecord({
  tenant: 'key_t',
  recipe: recipeFromPreset({ preset: 'face-swap', source: 0, target: 1 }),
  inputs: [
    { assetId: 'a'.repeat(64), faceIndex: 0 },
    { assetId: 'b'.repeat(64), faceIndex: 0 },
  ],
  options: { generator: 'reference', steps: 1, guidance: 1, resolution: 512 },
  now: new Date('2026-01-01T00:00:00Z'),
});

function at(seconds: number, patch: Partial<EditRecord>): EditRecord {
  return { ...base, ...patch, updatedAt: new Date(Date.parse(base.createdAt) + seconds * 1000).toISOString() };
}

async function collect(states: Array<EditRecord | null | Error>, lastEventId?: string): Promise<string[]> {
  const chunks: string[] = [];
  let i = 0;
  await streamEditEvents({
    load: async () => {
      const state = states[Math.min(i++, states.length - 1)];
      if (state instanceof Error) throw state;
      return state;
    },
    write: (chunk) => chunks.push(chunk),
    pollMs: 1,
    heartbeatMs: 60_000,
    signal: new AbortController().signal,
    ...(lastEventId ? { lastEventId } : {}),
  });
  return chunks.map(
    (chunk) =>
      chunk
        .split('\n')
        .find((line) => line.startsWith('event: '))
        ?.slice(7) ?? chunk,
  );
}

describe('streamEditEvents', () => {
  it('sends status on status changes, progress otherwise, nothing twice, and ends after the terminal status', async () => {
    const running = at(1, { status: 'running', progress: { stage: 'extract', step: 0, steps: 1 } });
    const rendering = at(2, { status: 'running', progress: { stage: 'render', step: 1, steps: 2 } });
    const done = at(3, { status: 'completed', progress: { stage: 'render', step: 2, steps: 2 } });
    expect(await collect([base, running, running, rendering, done])).toEqual(['status', 'status', 'progress', 'status']);
  });

  it('skips a failed poll and resumes after Last-Event-ID without repeating it', async () => {
    const running = at(1, { status: 'running' });
    const done = at(2, { status: 'failed' });
    expect(await collect([running, new Error('redis down'), done], String(Date.parse(running.updatedAt)))).toEqual(['status']);
  });

  it('ends quietly when the edit disappears', async () => {
    expect(await collect([null])).toEqual([]);
  });
});
