import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, type JWK } from 'jose';

export const PROVIDER_CLIENT_SECRET = 'test-only-client-secret-0123456789';

export async function signingKey(kid: string): Promise<JWK> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  return { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' };
}

export { freePort } from './processes';

/** The test OpenID Provider (test/support/oidc-provider.mjs) in its own process, on loopback. */
export class TestProvider {
  private constructor(
    private readonly child: ChildProcess,
    readonly issuer: string,
  ) {}

  static async start(options: {
    port: number;
    keys: JWK[];
    audience: string;
    redirect: string;
    roles: Record<string, string>;
    /** A misconfigured provider: puts this audience in access tokens whatever resource was asked for. */
    tokenAudience?: string;
  }): Promise<TestProvider> {
    const child = spawn(process.execPath, [join(__dirname, 'oidc-provider.mjs')], {
      env: {
        ...process.env,
        OIDC_PORT: String(options.port),
        OIDC_KEYS: JSON.stringify(options.keys),
        OIDC_AUDIENCE: options.audience,
        OIDC_REDIRECT: options.redirect,
        OIDC_ROLES: JSON.stringify(options.roles),
        ...(options.tokenAudience !== undefined && { OIDC_TOKEN_AUDIENCE: options.tokenAudience }),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const issuer = await new Promise<string>((resolve, reject) => {
      child.stdout?.on('data', (chunk: Buffer) => {
        const match = /ready (\S+)/.exec(chunk.toString());
        if (match !== null) resolve(match[1]);
      });
      child.on('exit', (code) => reject(new Error(`the test OpenID Provider exited (${code}): ${stderr}`)));
    });
    return new TestProvider(child, issuer);
  }

  /** An access token by client credentials for `resource` (a JWT: sub = the client id, role from the roles map). */
  async clientToken(clientId: string, resource: string): Promise<string> {
    const response = await fetch(`${this.issuer}/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${clientId}:${PROVIDER_CLIENT_SECRET}`).toString('base64')}`,
      },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'ledger', resource }).toString(),
    });
    const body = (await response.json()) as { access_token?: string; error?: string; error_description?: string };
    if (body.access_token === undefined)
      throw new Error(`token endpoint: ${body.error ?? response.status} ${body.error_description ?? ''}`);
    return body.access_token;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    this.child.kill('SIGTERM');
    await once(this.child, 'exit');
  }
}
