import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey } from 'jose';
import { createTokenVerifier, InvalidTokenError, type TokenVerifier } from './token-verifier';

// AUTH_MODE=oidc against a real JWKS endpoint (a local HTTP server standing in for the IdP).
describe('OIDC token verification', () => {
  let server: http.Server;
  let verifier: TokenVerifier;
  let key: CryptoKey;
  const issuer = 'https://sso.example.go.id/realms/asn';
  const audience = 'appraisal-ledger';

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    key = pair.privateKey;
    const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }] });
    server = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(jwks));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    verifier = await createTokenVerifier({ mode: 'oidc', issuer, jwksUri: `http://127.0.0.1:${port}/jwks`, audience }, '/nonexistent');
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const token = (claims: Record<string, unknown>, iss = issuer, aud = audience) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer(iss)
      .setAudience(aud)
      .setSubject('198501012010011001')
      .setExpirationTime('5m')
      .sign(key);

  it('accepts a token of the issuer for this audience and takes the actor from sub and role', async () => {
    await expect(verifier.verify(await token({ role: 'PEJABAT_PENILAI' }))).resolves.toEqual({
      id: '198501012010011001',
      role: 'PEJABAT_PENILAI',
    });
  });

  it('refuses another issuer, another audience, and a token without a known role', async () => {
    for (const t of [
      await token({ role: 'AUDITOR' }, 'https://evil.example'),
      await token({ role: 'AUDITOR' }, issuer, 'other'),
      await token({ role: 'ROOT' }),
    ]) {
      await expect(verifier.verify(t)).rejects.toBeInstanceOf(InvalidTokenError);
    }
  });
});
