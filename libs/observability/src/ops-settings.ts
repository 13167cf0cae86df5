/**
 * The operations port of a process and its readiness limit, from the environment (the same shape
 * in the projector and the relay): `<PREFIX>_HEALTH_PORT` (unset: no port), `<PREFIX>_HEALTH_HOST`
 * (default 0.0.0.0: these processes run in containers and serve nothing else) and
 * `<PREFIX>_READY_MAX_LAG` (events behind the ledger beyond which the process is not ready).
 */
export interface OpsSettings {
  port: number | undefined;
  host: string;
  readyMaxLag: number;
}

export function readOpsSettings(read: (name: string) => string | undefined, problems: string[], prefix: string): OpsSettings {
  const rawPort = read(`${prefix}_HEALTH_PORT`);
  const port =
    rawPort !== undefined && /^\d+$/.test(rawPort) && Number(rawPort) >= 1 && Number(rawPort) <= 65535 ? Number(rawPort) : undefined;
  if (rawPort !== undefined && port === undefined) problems.push(`${prefix}_HEALTH_PORT must be an integer 1..65535, got "${rawPort}"`);
  const rawLag = read(`${prefix}_READY_MAX_LAG`) ?? '1000';
  const readyMaxLag = /^\d+$/.test(rawLag) && Number(rawLag) <= 1_000_000_000 ? Number(rawLag) : undefined;
  if (readyMaxLag === undefined) problems.push(`${prefix}_READY_MAX_LAG must be an integer 0..1000000000, got "${rawLag}"`);
  return { port, host: read(`${prefix}_HEALTH_HOST`) ?? '0.0.0.0', readyMaxLag: readyMaxLag ?? 1000 };
}
