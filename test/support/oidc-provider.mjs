// A test-only OpenID Provider (oidc-provider, the certified OP for Node) on loopback, run as its own
// Node process (the package is ES modules only). Environment:
//   OIDC_PORT      port to listen on (127.0.0.1)
//   OIDC_KEYS      JSON array of private JWKs; the first signs (a rotation restarts it with a new first key)
//   OIDC_AUDIENCE  the API's audience; OIDC_REDIRECT the console's redirect URI
//   OIDC_ROLES     JSON { accountOrClientId: role }: the role claim of each person or client
//   OIDC_TOKEN_AUDIENCE  optional: a misconfigured provider, this audience in every access token
// Prints "ready <issuer>" once listening.
import Provider, { errors } from 'oidc-provider';

const port = Number(process.env.OIDC_PORT);
const issuer = `http://127.0.0.1:${port}`;
const keys = JSON.parse(process.env.OIDC_KEYS);
const roles = JSON.parse(process.env.OIDC_ROLES ?? '{}');
const audience = process.env.OIDC_AUDIENCE;
const SECRET = 'test-only-client-secret-0123456789';

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: 'ledger-console',
      token_endpoint_auth_method: 'none',
      redirect_uris: [process.env.OIDC_REDIRECT],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      scope: 'openid ledger',
    },
    // Service clients for the API-level checks: client credentials, sub = the client id.
    ...['auditor-01', 'auditor-short'].map((client_id) => ({
      client_id,
      client_secret: SECRET,
      grant_types: ['client_credentials'],
      redirect_uris: [],
      response_types: [],
      scope: 'ledger',
    })),
  ],
  scopes: ['openid', 'ledger'],
  jwks: { keys },
  findAccount: (_ctx, sub) => ({ accountId: sub, claims: () => ({ sub }) }),
  pkce: { required: () => true },
  features: {
    devInteractions: { enabled: true },
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => audience,
      useGrantedResource: () => true,
      getResourceServerInfo: (_ctx, resource, client) => {
        if (!/^https?:\/\//.test(resource)) throw new errors.InvalidTarget();
        return {
          scope: 'ledger',
          audience: process.env.OIDC_TOKEN_AUDIENCE ?? resource,
          accessTokenFormat: 'jwt',
          accessTokenTTL: client.clientId === 'auditor-short' ? 1 : 600,
          jwt: { sign: { alg: keys[0].alg ?? 'RS256' } },
        };
      },
    },
  },
  extraTokenClaims: (_ctx, token) => {
    const who = token.accountId ?? token.clientId;
    return roles[who] === undefined ? undefined : { role: roles[who] };
  },
});
provider.proxy = false;
const server = provider.listen(port, '127.0.0.1', () => process.stdout.write(`ready ${issuer}\n`));
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
