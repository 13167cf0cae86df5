'use strict';
// Child process for group-commit.int.spec.ts. Plain JS because a child cannot use Jest's transform:
// it runs the real adapter, compiled by SWC by the spec.
// Usage: node child-group-appender.js <compiledIndexJs> <dbPath> <logSigningKey> <writers>
// <writers> loops append 3 events at a time, each to a stream of its own, concurrently, so that their
// appends share transactions (group commit), until the process is killed. After each append has
// returned it prints "committed <streamId> <nextExpectedRevision> <position>", and after each batch
// "batches <batches> <appends>"; on Linux writes to a pipe are synchronous, so a printed line means
// the commit happened before it.
const { randomUUID } = require('node:crypto');

const [compiledIndex, dbPath, signingKey, writersArg] = process.argv.slice(2);
const { SqliteEventStore, NoteSigner } = require(compiledIndex);

function newEvent(n) {
  return {
    eventId: randomUUID(),
    type: 'ChildAppended',
    schemaVersion: 1,
    data: { n, pid: process.pid },
    metadata: { actorId: 'child', actorRole: 'test', occurredAt: new Date().toISOString(), correlationId: 'child', causationId: 'child' },
  };
}

async function writer(store, streamId) {
  let expected = 'no_stream';
  for (let n = 0; ; n += 3) {
    const result = await store.append(streamId, expected, [newEvent(n), newEvent(n + 1), newEvent(n + 2)]);
    expected = result.nextExpectedRevision;
    process.stdout.write(`committed ${streamId} ${result.nextExpectedRevision} ${result.position}\n`);
  }
}

const store = SqliteEventStore.open({ path: dbPath, logSigner: NoteSigner.fromKey(signingKey) });
setInterval(() => process.stdout.write(`batches ${store.groupCommits.batches} ${store.groupCommits.appends}\n`), 20);
for (let i = 0; i < Number(writersArg); i++) {
  writer(store, `child-${process.pid}-${i}`).catch((error) => {
    process.stderr.write(`${error.stack}\n`);
    process.exit(1);
  });
}
