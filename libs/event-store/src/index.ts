export * from './envelope';
export * from './port';
export * from './chain';
export * from './errors';
export { isIsoInstant } from './validation';
export { SqliteEventStore, type SqliteEventStoreOptions } from './sqlite/sqlite-event-store';
