import type { EventStore } from '@ledger/event-store';
import type { ReadStore } from '@ledger/read-models';
import {
  checkpointStoreFor,
  openEventStore,
  openReadStore,
  type ReadStoreConfig,
  type StoreConfig,
  type StoreLogger,
} from '@ledger/stores';

export interface RelayStores {
  eventStore: EventStore;
  checkpoints: ReadStore;
  close(): Promise<void>;
}

/** The relay's checkpoint lives beside the read models but not among them (see checkpointStoreFor). */
export const checkpointStoreConfig = (stores: StoreConfig): ReadStoreConfig => checkpointStoreFor(stores, 'relay');

/** Opens the ledger's event store and the checkpoint store; a configured server that is unreachable throws (StoreUnavailableError). */
export async function openRelayStores(stores: StoreConfig, log?: StoreLogger): Promise<RelayStores> {
  const eventStore = await openEventStore(stores.eventStore, log);
  let checkpoints: ReadStore;
  try {
    checkpoints = await openReadStore(checkpointStoreConfig(stores));
  } catch (error) {
    await eventStore.close();
    throw error;
  }
  return {
    eventStore,
    checkpoints,
    close: async () => {
      await eventStore.close();
      await checkpoints.close();
    },
  };
}
