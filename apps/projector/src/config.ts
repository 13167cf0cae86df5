import { readLogSettings, readOpsSettings, type LogSettings, type OpsSettings } from '@ledger/observability';
import { ConfigError, envReader, readInteger, readStoreConfig, type StoreConfig } from '@ledger/stores';

/**
 * The projector process's configuration: the same store variables as the api (libs/stores), plus
 *   PROJECTOR_BATCH_SIZE   events per read-model commit while catching up (default 500)
 *   PROJECTOR_REBUILD_PAGE_SIZE  events per page a rebuild reads (default 1000)
 *   PROJECTOR_REBUILD_MAX_HELD   documents a rebuild holds in memory before it writes them out with
 *                          its checkpoint (default 20000): the memory bound, and how much a killed
 *                          rebuild does again when it resumes
 *   PROJECTOR_HEALTH_PORT  if set, the operations port on PROJECTOR_HEALTH_HOST (default 0.0.0.0): GET /health (its
 *                          position and lag), /health/live, /health/ready and /metrics
 *   PROJECTOR_READY_MAX_LAG default 1000: not ready when the read models are further behind the ledger
 *   LOG_LEVEL, LOG_FORMAT  libs/observability
 */
export interface ProjectorConfig {
  stores: StoreConfig;
  batchSize: number;
  rebuildPageSize: number;
  rebuildMaxHeldDocs: number;
  /** The operations port (PROJECTOR_HEALTH_PORT): its number, also here as before. */
  healthPort: number | undefined;
  ops: OpsSettings;
  logging: LogSettings;
  /** --rebuild: drop the read models and replay the whole ledger before following it. */
  rebuild: boolean;
}

export function loadProjectorConfig(env: NodeJS.ProcessEnv, argv: string[]): ProjectorConfig {
  const problems: string[] = [];
  const read = envReader(env);
  const stores = readStoreConfig(read, problems);
  const batchSize = readInteger(read, 'PROJECTOR_BATCH_SIZE', 500, 1, 10_000, problems);
  const rebuildPageSize = readInteger(read, 'PROJECTOR_REBUILD_PAGE_SIZE', 1_000, 1, 100_000, problems);
  const rebuildMaxHeldDocs = readInteger(read, 'PROJECTOR_REBUILD_MAX_HELD', 20_000, 1, 10_000_000, problems);
  const ops = readOpsSettings(read, problems, 'PROJECTOR');
  const logging = readLogSettings(read, problems);
  const unknownArgs = argv.filter((arg) => arg !== '--rebuild');
  if (unknownArgs.length > 0) problems.push(`unknown arguments: ${unknownArgs.join(' ')} (usage: projector [--rebuild])`);
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    stores,
    batchSize,
    rebuildPageSize,
    rebuildMaxHeldDocs,
    healthPort: ops.port,
    ops,
    logging,
    rebuild: argv.includes('--rebuild'),
  };
}
