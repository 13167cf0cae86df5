export * from './envelope';
export * from './port';
export * from './chain';
export * from './verify';
export * from './errors';
export { isIsoInstant } from './validation';
export { SqliteEventStore, type SqliteEventStoreOptions } from './sqlite/sqlite-event-store';
export type { LogSignerSource } from './sqlite/writer-thread';
export { EsdbEventStore, EsdbStreamDeletedError, type EsdbEventStoreOptions } from './esdb/esdb-event-store';
export { EsdbInvalidPositionError, EsdbReadTimeoutError } from './esdb/esdb-reads';
export { EsdbConnectionError, redactConnectionString } from './esdb/esdb-connection';
export { EsdbLayoutError } from './esdb/esdb-layout';
export type { ResubscribeInfo } from './esdb/resubscribing-subscription';
export { scanLedgerFile, verifyLedgerFile, type LedgerScan } from './sqlite/ledger-scan';
export { parseExportLine, parseStrictJson, ExportLineError, type ExportLineResult } from './export-line';
export { LedgerIntegrityError, readVerifiedStream, streamIntegrityOf, type StreamIntegrity } from './stream-integrity';
export * from './log/merkle';
export * from './log/note';
export {
  loadOrCreateLogSigner,
  defaultLogKeyFile,
  LogKeyring,
  rotateLogKey,
  retireLogKey,
  type LogKeyOptions,
  type LogKeyInfo,
  type LogKeyringEntry,
} from './log/log-key';
export { SqliteMerkleLog, LogDisagreesError, entryOf, type StoredCheckpoint, type Cosignature, type LogEntry } from './log/sqlite-log';
export { verifyLog, type LogSummary, type LogVerifyInput } from './log/verify-log';
export { LogFollower, type LogFollowerOptions } from './log/log-follower';
export { type LedgerFileReport, type LedgerFileVerifyOptions } from './sqlite/ledger-scan';
export { PostgresEventStore, type PostgresEventStoreOptions } from './postgres/pg-event-store';
export { PostgresUnavailableError, redactPostgresUrl, splitPostgresHosts } from './postgres/pg-connection';
export {
  installSchema as installPostgresSchema,
  installSchemaAt as installPostgresSchemaAt,
  PG_SCHEMA_VERSION,
} from './postgres/pg-schema';
