export {
  checkpointStoreFor,
  describeStores,
  envReader,
  readStoreConfig,
  redact,
  type EnvReader,
  type EventStoreConfig,
  type ReadStoreConfig,
  type StoreConfig,
} from './store-config';
export {
  openEventStore,
  openReadStore,
  openStores,
  StoreUnavailableError,
  type StoreLogger,
  type EventStoreOpenOptions,
} from './open-stores';
export { ConfigError, parseIntIn, readInteger } from './config-values';
