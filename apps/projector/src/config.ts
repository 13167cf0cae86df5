import { ConfigError, envReader, parseIntIn, readInteger, readStoreConfig, type StoreConfig } from '@ledger/stores';

/**
 * The projector process's configuration: the same store variables as the api (libs/stores), plus
 *   PROJECTOR_BATCH_SIZE   events per read-model commit while catching up (default 500)
 *   PROJECTOR_HEALTH_PORT  if set, GET /health on 0.0.0.0:<port> answers its position and lag
 */
export interface ProjectorConfig {
  stores: StoreConfig;
  batchSize: number;
  healthPort: number | undefined;
  /** --rebuild: drop the read models and replay the whole ledger before following it. */
  rebuild: boolean;
}

export function loadProjectorConfig(env: NodeJS.ProcessEnv, argv: string[]): ProjectorConfig {
  const problems: string[] = [];
  const read = envReader(env);
  const stores = readStoreConfig(read, problems);
  const batchSize = readInteger(read, 'PROJECTOR_BATCH_SIZE', 500, 1, 10_000, problems);
  const rawPort = read('PROJECTOR_HEALTH_PORT');
  const healthPort = rawPort === undefined ? undefined : parseIntIn(rawPort, 1, 65535);
  if (rawPort !== undefined && healthPort === undefined)
    problems.push(`PROJECTOR_HEALTH_PORT must be an integer 1..65535, got "${rawPort}"`);
  const unknownArgs = argv.filter((arg) => arg !== '--rebuild');
  if (unknownArgs.length > 0) problems.push(`unknown arguments: ${unknownArgs.join(' ')} (usage: projector [--rebuild])`);
  if (problems.length > 0) throw new ConfigError(problems);
  return { stores, batchSize, healthPort, rebuild: argv.includes('--rebuild') };
}
