import { logLevel } from 'kafkajs';
import { creationErrors, isExpectedKafkaLog, kafkaLogCreator, topicAction } from './kafka';

describe('relay topic start-up', () => {
  it('creates the topic only when the cluster does not list it (a restart sends no CreateTopics)', () => {
    expect(topicAction([], 'appraisal-ledger.events')).toBe('create');
    expect(topicAction(['other', '__consumer_offsets'], 'appraisal-ledger.events')).toBe('create');
    expect(topicAction(['other', 'appraisal-ledger.events'], 'appraisal-ledger.events')).toBe('use');
    // Names are exact: a prefix or a case variant is another topic.
    expect(topicAction(['appraisal-ledger.events.v2', 'Appraisal-Ledger.Events'], 'appraisal-ledger.events')).toBe('create');
  });

  it('drops only the kafkajs lines the relay reports itself, and keeps every other error line', () => {
    const lines: string[] = [];
    const log = kafkaLogCreator((line) => lines.push(line))(logLevel.NOTHING);
    const entry = (message: string, error?: string) => ({
      namespace: 'Connection',
      level: logLevel.ERROR,
      label: 'ERROR',
      log: { message, error, timestamp: '' },
    });
    log(entry('Response CreateTopics(key: 19, version: 3)', 'Topic creation errors'));
    log(entry('Limiting retries for the idempotent producer to 5'));
    log(entry('Response Produce(key: 0, version: 7)', 'This server does not host this topic-partition'));
    log(entry('Response CreateTopics(key: 19, version: 3)', 'Request timed out'));
    log(entry('Connection error', 'connect ECONNREFUSED 127.0.0.1:9092'));
    expect(lines).toEqual([
      'kafkajs ERROR [Connection] Response Produce(key: 0, version: 7): This server does not host this topic-partition',
      'kafkajs ERROR [Connection] Response CreateTopics(key: 19, version: 3): Request timed out',
      'kafkajs ERROR [Connection] Connection error: connect ECONNREFUSED 127.0.0.1:9092',
    ]);
    expect(isExpectedKafkaLog({ message: 'Topic creation errors' })).toBe(false);
  });

  it('names the broker error types behind a refused CreateTopics', () => {
    const aggregate = Object.assign(new Error('Topic creation errors'), {
      errors: [{ type: 'POLICY_VIOLATION' }, { type: 'INVALID_PARTITIONS' }],
    });
    expect(creationErrors(aggregate)).toBe('POLICY_VIOLATION, INVALID_PARTITIONS');
    expect(creationErrors(new Error('Request timed out'))).toBe('Request timed out');
  });
});
