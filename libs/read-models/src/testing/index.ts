export * from './read-store.contract';
export * from './background-rebuild.contract';
export * from './fixtures';
export * from './scenario';
