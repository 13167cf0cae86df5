import { isConnectionLoss, redactPostgresUrl, splitPostgresHosts } from './pg-connection';

describe('splitPostgresHosts', () => {
  it("reads libpq's multi-host form, one address per host, without target_session_attrs", () => {
    expect(splitPostgresHosts('postgres://u:p@h1:5432,h2:5433/db?target_session_attrs=read-write&sslmode=disable')).toEqual([
      'postgres://u:p@h1:5432/db?sslmode=disable',
      'postgres://u:p@h2:5433/db?sslmode=disable',
    ]);
    expect(splitPostgresHosts('postgresql://h1,h2/db')).toEqual(['postgresql://h1/db', 'postgresql://h2/db']);
  });

  it('reads a comma-separated list of whole URLs', () => {
    expect(splitPostgresHosts('postgres://u:p@a:1/db, postgres://u:p@b:2/db?target_session_attrs=primary')).toEqual([
      'postgres://u:p@a:1/db',
      'postgres://u:p@b:2/db',
    ]);
  });

  it('keeps one address as it is', () => {
    expect(splitPostgresHosts('postgres://u:p@127.0.0.1:5432/ledger')).toEqual(['postgres://u:p@127.0.0.1:5432/ledger']);
  });

  it.each([
    ['another scheme', 'mysql://h/db', /not a postgres:\/\/ connection string/],
    ['an empty host', 'postgres://u:p@h1,,h2/db', /an empty host/],
    ['a standby as target', 'postgres://h1,h2/db?target_session_attrs=standby', /target_session_attrs=standby is not supported/],
    ['any server as target', 'postgres://h1/db?target_session_attrs=any', /needs the primary/],
  ])('refuses %s', (_, address, message) => {
    expect(() => splitPostgresHosts(address)).toThrow(message);
  });

  it('never shows a password in its errors', () => {
    expect(() => splitPostgresHosts('postgres://u:hunter2@h1,,h2/db')).toThrow(/u:\*\*\*@/);
    expect(() => splitPostgresHosts('postgres://u:hunter2@h1,,h2/db')).not.toThrow(/hunter2/);
    expect(redactPostgresUrl('postgres://u:a%40b@h/db,postgres://v:c@h2/db')).toBe('postgres://u:***@h/db,postgres://v:***@h2/db');
  });
});

describe('isConnectionLoss', () => {
  const coded = (code: string, message = 'x') => Object.assign(new Error(message), { code });
  it.each([
    ['a refused connection', coded('ECONNREFUSED')],
    ['a reset', coded('ECONNRESET')],
    ['a server shutting down (57P01)', coded('57P01')],
    ['a crashed server (57P02)', coded('57P02')],
    ['a server still starting (57P03)', coded('57P03')],
    ['a read-only server, once a primary (25006)', coded('25006')],
    ['a connection failure (08006)', coded('08006')],
    ['a terminated connection', new Error('Connection terminated unexpectedly')],
    ['a connect timeout', new Error('timeout exceeded when trying to connect')],
  ])('is true for %s', (_, error) => {
    expect(isConnectionLoss(error)).toBe(true);
  });

  it.each([
    ['a unique violation', coded('23505')],
    ['a privilege error', coded('42501')],
    ['a syntax error', coded('42601')],
    ['a statement timeout (57014: the statement, not the server)', coded('57014')],
    ['a plain error', new Error('boom')],
    ['a non-error', 'ECONNREFUSED'],
  ])('is false for %s', (_, error) => {
    expect(isConnectionLoss(error)).toBe(false);
  });
});
