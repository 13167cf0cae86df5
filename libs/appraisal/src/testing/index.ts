export * from './given';
export * from './fixtures';
export * from './sample-commands';
