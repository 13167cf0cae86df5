import * as path from 'node:path';
import { ConfigError } from '@ledger/stores';
import { loadRelayConfig } from './config';
import { checkpointStoreConfig } from './stores';

describe('relay configuration', () => {
  it('needs only the brokers; everything else has a default', () => {
    const config = loadRelayConfig({ KAFKA_BROKERS: '127.0.0.1:9092, kafka:29092' });
    expect(config).toMatchObject({
      brokers: ['127.0.0.1:9092', 'kafka:29092'],
      topic: 'appraisal-ledger.events',
      clientId: 'appraisal-ledger-relay',
      topicPartitions: 6,
      batchSize: 500,
    });
    expect(config.stores.eventStore).toEqual({
      kind: 'sqlite',
      path: path.resolve('./data/events.sqlite'),
      synchronous: 'FULL',
      pollIntervalMs: 100,
      writer: 'worker',
      groupCommitMaxDelayMs: 2,
    });
  });

  it('keeps the checkpoint apart from the read models, which a rebuild drops', () => {
    const sqlite = loadRelayConfig({ KAFKA_BROKERS: 'k:9092', LEDGER_DATA_DIR: '/srv/ledger' }).stores;
    expect(checkpointStoreConfig(sqlite)).toEqual({ kind: 'sqlite', path: '/srv/ledger/relay.sqlite' });
    const mongo = loadRelayConfig({
      KAFKA_BROKERS: 'k:9092',
      READ_STORE: 'mongodb',
      MONGODB_URI: 'mongodb://m:27017',
      MONGODB_DATABASE: 'ledger',
    }).stores;
    expect(checkpointStoreConfig(mongo)).toEqual({ kind: 'mongodb', uri: 'mongodb://m:27017', database: 'ledger_relay' });
  });

  it('reports every bad value at once', () => {
    let error: unknown;
    try {
      loadRelayConfig({
        KAFKA_BROKERS: 'kafka',
        KAFKA_TOPIC: 'bad topic',
        RELAY_BATCH_SIZE: '0',
        KAFKA_TOPIC_PARTITIONS: 'six',
        READ_STORE: 'redis',
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      'READ_STORE must be "sqlite" or "mongodb", got "redis"',
      'KAFKA_BROKERS entry "kafka" is not host:port',
      'KAFKA_TOPIC must be 1..249 of [A-Za-z0-9._-], got "bad topic"',
      'KAFKA_TOPIC_PARTITIONS must be an integer 1..1000, got "six"',
      'RELAY_BATCH_SIZE must be an integer 1..10000, got "0"',
    ]);
  });

  it('refuses to start without brokers rather than guess one', () => {
    expect(() => loadRelayConfig({})).toThrow(/KAFKA_BROKERS is required/);
    expect(() => loadRelayConfig({ KAFKA_BROKERS: 'host:70000' })).toThrow(/not host:port/);
  });
});
