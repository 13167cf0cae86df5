export { describeEventStoreContract, type EventStoreFactory } from './event-store.contract';
export { FIXED_OCCURRED_AT, minutesAfterFixed, newEvent, newEvents, uniqueStreamId, type NewEventOverrides } from './events';
export { openTempSqliteEventStore } from './sqlite';
export { gate, sleep, waitUntil } from './wait';
export { describeWithServer, serverAddress, serverRequired, type ServerKind } from './servers';
export { freshSchemaName, installTestSchema, openPostgresTestStore } from './postgres';
export { insertLinkedRow } from './forge';
