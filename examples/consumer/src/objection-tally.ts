import Database from 'better-sqlite3';
import type { RelayedEvent } from './relayed-event';

export type Outcome = { kind: 'applied'; note?: string } | { kind: 'duplicate' } | { kind: 'ignored' };

export interface UnitObjections {
  unitId: string;
  filed: number;
  decided: number;
}

/**
 * Objections filed and decided per unit, kept in a SQLite file.
 *
 * Duplicates: the relay delivers at least once, and a redelivery repeats a run of events of one
 * key in the same order. So "the last global position applied per key" is a complete duplicate
 * test: an event at or below it was already applied. That set is one row per appraisal (bounded
 * by the ledger's size, not by traffic), and it is written in the same transaction as the counts,
 * so a crash can neither count an event twice nor mark one seen that was not counted; Kafka's
 * committed offsets then only save re-reading. (A seen-set of event ids would need the same
 * persistence plus eviction; ordering per key makes it unnecessary.) It relies on one relay per
 * topic, which is what keeps each key's events in ledger order.
 */
export class ObjectionTally {
  private readonly db: Database.Database;
  private readonly statements;
  private readonly applyTransaction: (event: RelayedEvent) => Outcome;

  constructor(path: string) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS seen (key TEXT PRIMARY KEY, position INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS appraisal_unit (appraisal_id TEXT PRIMARY KEY, unit_id TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS objections (unit_id TEXT PRIMARY KEY, filed INTEGER NOT NULL, decided INTEGER NOT NULL);`);
    this.statements = {
      anySeen: this.db.prepare<[], number>('SELECT EXISTS (SELECT 1 FROM seen)').pluck(),
      lastSeen: this.db.prepare<[string], number>('SELECT position FROM seen WHERE key = ?').pluck(),
      markSeen: this.db.prepare(
        'INSERT INTO seen (key, position) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET position = excluded.position',
      ),
      setUnit: this.db.prepare('INSERT OR IGNORE INTO appraisal_unit (appraisal_id, unit_id) VALUES (?, ?)'),
      unitOf: this.db.prepare<[string], string>('SELECT unit_id FROM appraisal_unit WHERE appraisal_id = ?').pluck(),
      count: this.db.prepare(
        `INSERT INTO objections (unit_id, filed, decided) VALUES (@unitId, @filed, @decided)
         ON CONFLICT (unit_id) DO UPDATE SET filed = filed + @filed, decided = decided + @decided`,
      ),
      unit: this.db.prepare<[string], UnitObjections>('SELECT unit_id AS unitId, filed, decided FROM objections WHERE unit_id = ?'),
      all: this.db.prepare<[], UnitObjections>('SELECT unit_id AS unitId, filed, decided FROM objections ORDER BY unit_id'),
    };
    this.applyTransaction = this.db.transaction((event: RelayedEvent) => this.applyNow(event));
  }

  apply(event: RelayedEvent): Outcome {
    return this.applyTransaction(event);
  }

  /** true before the first event: a fresh state must be built from the start of the topic. */
  isEmpty(): boolean {
    return this.statements.anySeen.get() === 0;
  }

  byUnit(): UnitObjections[] {
    return this.statements.all.all();
  }

  close(): void {
    this.db.close();
  }

  private applyNow(event: RelayedEvent): Outcome {
    const last = this.statements.lastSeen.get(event.key);
    if (last !== undefined && event.globalPosition <= last) return { kind: 'duplicate' };
    this.statements.markSeen.run(event.key, event.globalPosition);
    switch (event.type) {
      case 'AppraisalOpened': {
        const unitId = event.data.unitId;
        if (typeof unitId !== 'string') return { kind: 'ignored' };
        this.statements.setUnit.run(event.key, unitId);
        return { kind: 'applied', note: `appraisal ${event.key} opened in unit ${unitId}` };
      }
      case 'ObjectionFiled':
        return { kind: 'applied', note: this.count(event.key, 1, 0, 'filed') };
      case 'ObjectionDecided':
        return { kind: 'applied', note: this.count(event.key, 0, 1, 'decided') };
      default:
        return { kind: 'ignored' };
    }
  }

  /** An objection whose AppraisalOpened this consumer never saw is counted under "unknown". */
  private count(appraisalId: string, filed: number, decided: number, what: string): string {
    const unitId = this.statements.unitOf.get(appraisalId) ?? 'unknown';
    this.statements.count.run({ unitId, filed, decided });
    const now = this.statements.unit.get(unitId);
    const open = now === undefined ? 0 : now.filed - now.decided;
    return `objection ${what} on appraisal ${appraisalId}: unit ${unitId} has ${now?.filed ?? 0} filed, ${open} open`;
  }
}
