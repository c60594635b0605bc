import type { Problem, TokenResponse } from '@newhms/contracts';

export const API_BASE = '/api/v1';

/** An error reply of the API, carrying its RFC 9457 problem details. */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail ?? problem.title);
    this.name = 'ApiError';
    this.status = problem.status;
    this.problem = problem;
  }

  get code(): string | undefined {
    return this.problem.code;
  }
}

type Query = Record<string, string | number | boolean | null | undefined>;

export type RequestOptions = {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  query?: Query;
  /** Auth endpoints that must not trigger the refresh-and-retry dance (login, refresh itself). */
  skipRefresh?: boolean;
  signal?: AbortSignal;
  /** The Accept header; JSON unless a file is asked for. */
  accept?: string;
};

// The access token lives in memory only; the refresh token is an httpOnly cookie the browser keeps.
let accessToken: string | null = null;
let facilityId: string | null = null;
let refreshing: Promise<TokenResponse | null> | null = null;

type SessionListener = {
  onTokens: (tokens: TokenResponse) => void;
  onSessionEnded: () => void;
  onPasswordChangeRequired: () => void;
};
let listener: SessionListener | null = null;

export function setSessionListener(next: SessionListener | null): void {
  listener = next;
}

export function setAccessToken(token: string | null): void {
  accessToken = token;
}

export function setFacilityHeader(id: string | null): void {
  facilityId = id;
}

function buildUrl(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const qs = params.toString();
  return `${API_BASE}${path}${qs ? `?${qs}` : ''}`;
}

async function readProblem(res: Response): Promise<Problem> {
  const fallback: Problem = {
    type: 'about:blank',
    title: res.statusText || 'Error',
    status: res.status,
    detail: `The server answered ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`,
  };
  try {
    const text = await res.text();
    if (!text) return fallback;
    const body = JSON.parse(text) as Partial<Problem>;
    if (typeof body !== 'object' || body === null) return fallback;
    return { ...fallback, ...body, status: typeof body.status === 'number' ? body.status : res.status };
  } catch {
    return fallback;
  }
}

async function send(path: string, options: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = { Accept: options.accept ?? 'application/json' };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (accessToken) headers.Authorization = `Bearer ${accessToken}`;
  if (facilityId) headers['X-Facility-Id'] = facilityId;
  try {
    return await fetch(buildUrl(path, options.query), {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      credentials: 'include',
      signal: options.signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError({
      type: 'about:blank',
      title: 'Network error',
      status: 0,
      code: 'NETWORK_ERROR',
      detail: 'The server could not be reached. Check the connection and try again.',
    });
  }
}

/**
 * Asks for a new access token with the refresh cookie. Concurrent callers share one request, because
 * refresh tokens rotate: a second parallel refresh would present an already-used token.
 */
export function refreshAccessToken(): Promise<TokenResponse | null> {
  if (!refreshing) {
    refreshing = (async () => {
      try {
        const res = await send('/auth/refresh', { method: 'POST', skipRefresh: true });
        if (!res.ok) return null;
        const tokens = (await res.json()) as TokenResponse;
        accessToken = tokens.accessToken;
        listener?.onTokens(tokens);
        return tokens;
      } catch {
        return null;
      } finally {
        refreshing = null;
      }
    })();
  }
  return refreshing;
}

/** Sends with the session; on a 401 refreshes once and retries once, else ends the session. */
async function sendAuthorized(path: string, options: RequestOptions): Promise<Response> {
  let res = await send(path, options);
  if (res.status === 401 && !options.skipRefresh) {
    const tokens = await refreshAccessToken();
    if (tokens) res = await send(path, options);
    if (res.status === 401) {
      accessToken = null;
      listener?.onSessionEnded();
    }
  }
  if (!res.ok) {
    const problem = await readProblem(res);
    if (problem.code === 'AUTH_PASSWORD_CHANGE_REQUIRED') listener?.onPasswordChangeRequired();
    throw new ApiError(problem);
  }
  return res;
}

/** Calls the API; on a 401 refreshes the session once and retries once, else ends the session. */
export async function apiRequest<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const res = await sendAuthorized(path, options);
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const api = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal) => apiRequest<T>(path, { query, signal }),
  post: <T>(path: string, body?: unknown, extra: Omit<RequestOptions, 'method' | 'body'> = {}) =>
    apiRequest<T>(path, { ...extra, method: 'POST', body: body ?? {} }),
  put: <T>(path: string, body: unknown) => apiRequest<T>(path, { method: 'PUT', body }),
  patch: <T>(path: string, body: unknown) => apiRequest<T>(path, { method: 'PATCH', body }),
  delete: <T = void>(path: string) => apiRequest<T>(path, { method: 'DELETE' }),
  /**
   * A file the API serves (an image, a PDF) as a Blob. An `<img src>` or a link cannot send the bearer
   * token, so files are fetched here and shown through an object URL.
   */
  blob: async (path: string, accept = '*/*', signal?: AbortSignal): Promise<Blob> =>
    (await sendAuthorized(path, { accept, signal })).blob(),
};

/** The message to show a person for any error thrown by a query or mutation. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return err.problem.detail ?? err.problem.title;
  if (err instanceof Error) return err.message;
  return 'Something went wrong';
}
