export * from './envelope';
export * from './port';
