import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { loadConfig } from '../apps/ledger-api/src/config/config';
import { loadProjectorConfig } from '../apps/projector/src/config';
import { loadRelayConfig } from '../apps/relay/src/config';

/**
 * docker-compose.yml cannot be run here (no Docker engine), so its wiring is checked against the
 * apps themselves: each of our services' environment is given to that app's own configuration
 * loader, which must accept it, choose the servers it names, and read every variable it is given
 * (a misspelt name would otherwise be ignored silently).
 */
interface Service {
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, unknown>;
  healthcheck?: { test?: string[] };
}
const compose = load(readFileSync(join(__dirname, '..', 'docker-compose.yml'), 'utf8')) as { services: Record<string, Service> };
const services = compose.services;

/** The environment as a proxy that records which variables the loader read. */
function recording(env: Record<string, string>): { env: NodeJS.ProcessEnv; read: Set<string> } {
  const read = new Set<string>();
  const proxy = new Proxy(
    { ...env },
    {
      get(target, key) {
        if (typeof key === 'string') read.add(key);
        return Reflect.get(target, key) as unknown;
      },
    },
  );
  return { env: proxy, read };
}

const loaders: Record<string, (env: NodeJS.ProcessEnv) => unknown> = {
  'apps/ledger-api/src/main.js': (env) => loadConfig(env),
  'apps/projector/src/main.js': (env) => loadProjectorConfig(env, []),
  'apps/relay/src/main.js': (env) => loadRelayConfig(env),
};

const ours = Object.entries(services).filter(([, s]) => s.image === 'appraisal-ledger:local' && s.command?.[1]?.includes('/apps/'));

describe('docker-compose.yml', () => {
  it('runs the api, the projector and the relay as separate processes of one image', () => {
    const programs = ours.map(([, s]) => s.command?.[1]?.replace(/^dist\//, ''));
    expect(new Set(programs)).toEqual(new Set(Object.keys(loaders)));
  });

  it.each(ours)('%s: its own configuration loader accepts its environment and reads every variable in it', (_name, service) => {
    const program = service.command?.[1]?.replace(/^dist\//, '') ?? '';
    const environment = service.environment ?? {};
    const { env, read } = recording(environment);
    expect(() => loaders[program](env)).not.toThrow();
    expect(Object.keys(environment).filter((key) => !read.has(key))).toEqual([]);
  });

  it('wires the distributed services to EventStoreDB, MongoDB and Kafka, with the api following the external projector', () => {
    const api = loadConfig(services['ledger-api'].environment ?? {});
    expect(api).toMatchObject({
      projector: 'external',
      stores: { eventStore: { kind: 'eventstoredb' }, readStore: { kind: 'mongodb' }, warnings: [] },
    });
    const projector = loadProjectorConfig(services.projector.environment ?? {}, []);
    expect({ ...projector.stores, dataDir: '' }).toEqual({ ...api.stores, dataDir: '' });
    expect(loadRelayConfig(services.relay.environment ?? {})).toMatchObject({ brokers: ['kafka:9092'] });
    for (const name of ['ledger-api', 'projector', 'relay']) {
      expect(Object.keys(services[name].depends_on ?? {})).toEqual(expect.arrayContaining(['kurrentdb', 'mongodb']));
    }
    expect(Object.keys(services.relay.depends_on ?? {})).toContain('kafka');
    const esdb = services['ledger-api'].environment?.EVENTSTORE_CONNECTION_STRING ?? '';
    expect(esdb).toMatch(/^esdb:\/\/kurrentdb:2113/);
    expect(services['ledger-api'].environment?.MONGODB_URI).toMatch(/^mongodb:\/\/mongodb:27017/);
  });

  it('checks the readiness of the api, the projector and the relay on the port each one opens for it', () => {
    const readyUrl = (name: string) =>
      /fetch\('(http:\/\/127\.0\.0\.1:(\d+)\/health\/ready)'\)/.exec(services[name].healthcheck?.test?.join(' ') ?? '');
    expect(readyUrl('ledger-api')?.[2]).toBe(String(loadConfig(services['ledger-api'].environment ?? {}).port));
    expect(readyUrl('projector')?.[2]).toBe(String(loadProjectorConfig(services.projector.environment ?? {}, []).ops.port));
    expect(readyUrl('relay')?.[2]).toBe(String(loadRelayConfig(services.relay.environment ?? {}).ops.port));
    // Metrics on a port of their own, not published to the host.
    const api = loadConfig(services['ledger-api'].environment ?? {});
    expect(api.ops.metricsPort).toBeDefined();
    expect(api.ops.metricsPort).not.toBe(api.port);
  });
});
