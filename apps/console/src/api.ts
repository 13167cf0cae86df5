import { currentSession, setSession } from './session';

/** An RFC 7807 problem from the API (or a network failure: status 0, code NETWORK). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly fields: string[] = [],
    readonly details: Record<string, unknown> = {},
  ) {
    super(code);
    this.name = 'ApiError';
  }
}

interface ProblemBody {
  code?: unknown;
  detail?: unknown;
  errors?: { field?: unknown }[];
  details?: Record<string, unknown>;
}

async function call(method: 'GET' | 'POST', path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
  const token = currentSession()?.token;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers: {
        accept: 'application/json',
        ...(token !== undefined && { authorization: `Bearer ${token}` }),
        ...(body !== undefined && { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
      credentials: 'omit',
    });
  } catch {
    throw new ApiError(0, 'NETWORK');
  }
  if (response.ok) return response;
  let problem: ProblemBody = {};
  try {
    problem = (await response.json()) as ProblemBody;
  } catch {
    // Not a problem document: the status says enough.
  }
  const code = typeof problem.code === 'string' ? problem.code : `HTTP_${response.status}`;
  // An expired or untrusted token ends the session: the sign-in page shows next, saying why.
  if (response.status === 401 && token !== undefined)
    setSession(null, { code, detail: typeof problem.detail === 'string' ? problem.detail : '' });
  const fields = (problem.errors ?? []).map((e) => (typeof e.field === 'string' ? e.field : '')).filter((f) => f !== '');
  throw new ApiError(response.status, code, fields, problem.details ?? {});
}

export async function getJson<T>(path: string): Promise<T> {
  return (await (await call('GET', path)).json()) as T;
}

export async function getText(path: string): Promise<string> {
  return (await call('GET', path)).text();
}

export async function postJson<T>(path: string, body: unknown, headers: Record<string, string> = {}): Promise<T> {
  return (await (await call('POST', path, body, headers)).json()) as T;
}
