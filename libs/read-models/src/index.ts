export * from './port';
export * from './projection';
export { Projector, type ProjectorOptions } from './projector';
export { SqliteReadStore } from './sqlite/sqlite-read-store';
export * from './projections';
export { CheckpointWatcher, type CheckpointWatcherOptions, type ProjectionProgress } from './checkpoint-watcher';
export { MongoReadStore } from './mongo/mongo-read-store';
export { type MongoReadStoreOptions } from './mongo/connection';
export { PositionWaiters } from './position-waiters';
