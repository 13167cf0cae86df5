'use strict';
// Child process for sqlite-processes.int.spec.ts. Plain JS because a child cannot use Jest's
// transform: it runs the real adapter, compiled by SWC into compiledDir by the spec.
// Usage: node child-appender.js <compiledIndexJs> <dbPath> <streamId> <batchSize> <batches, 0 = until killed>
// Prints "committed <nextExpectedRevision> <position>" after each append has returned; on Linux
// writes to a pipe are synchronous, so a printed line means the commit happened before it.
const { randomUUID } = require('node:crypto');

const [compiledIndex, dbPath, streamId, batchSizeArg, batchesArg] = process.argv.slice(2);
const { SqliteEventStore } = require(compiledIndex);
const batchSize = Number(batchSizeArg);
const batches = Number(batchesArg);

function newEvent(n) {
  return {
    eventId: randomUUID(),
    type: 'ChildAppended',
    schemaVersion: 1,
    data: { n, pid: process.pid },
    metadata: {
      actorId: 'child',
      actorRole: 'test',
      occurredAt: new Date().toISOString(),
      correlationId: 'child',
      causationId: 'child',
    },
  };
}

async function main() {
  const store = SqliteEventStore.open({ path: dbPath });
  let expected = 'no_stream';
  for (let batch = 0; batches === 0 || batch < batches; batch++) {
    const events = Array.from({ length: batchSize }, (_, i) => newEvent(batch * batchSize + i));
    const result = await store.append(streamId, expected, events);
    expected = result.nextExpectedRevision;
    process.stdout.write(`committed ${result.nextExpectedRevision} ${result.position}\n`);
  }
  await store.close();
  process.stdout.write('done\n');
}

main().catch((error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
