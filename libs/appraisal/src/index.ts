export * from './vocabulary';
export * from './events';
export * from './commands';
export * from './errors';
export * from './policy';
export * from './decider';
