import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@ledger/event-store';
import { Projector, PROJECTIONS, SqliteReadStore } from '@ledger/read-models';
import { appraisalStream, unitStream } from './fixtures';

export interface RebuildFigures {
  events: number;
  seconds: number;
  eventsPerSec: number;
}

/** Seeds `appraisals` × 20 events, then drops the read models and replays them from zero. */
export async function measureRebuild(appraisals = 10_000): Promise<RebuildFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-rebuild-'));
  const eventStore = SqliteEventStore.open({ path: join(dir, 'events.sqlite'), synchronous: 'NORMAL' });
  const readStore = SqliteReadStore.open({ path: join(dir, 'read-models.db') });
  try {
    const unit = unitStream('bench', 2026);
    await eventStore.append(unit.streamId, 'no_stream', unit.events);
    for (let n = 0; n < appraisals; n++) {
      const { streamId, events } = appraisalStream(n, 'bench', 2026);
      await eventStore.append(streamId, 'no_stream', events);
    }
    const projector = new Projector({ eventStore, readStore, projections: PROJECTIONS });
    const { events, ms } = await projector.rebuild();
    await projector.stop();
    return { events, seconds: ms / 1000, eventsPerSec: events / (ms / 1000) };
  } finally {
    await readStore.close();
    await eventStore.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
