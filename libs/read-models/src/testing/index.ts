export * from './read-store.contract';
export * from './fixtures';
export * from './scenario';
