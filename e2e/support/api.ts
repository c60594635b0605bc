/** Direct API calls for test set-up: what a story needs to exist before the browser part starts. */
export type ApiSession = {
  baseUrl: string;
  token: string;
  call: <T>(method: string, path: string, body?: unknown) => Promise<T>;
};

export async function apiSignIn(baseUrl: string, email: string, password: string): Promise<ApiSession> {
  const res = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  const body = (await res.json()) as { accessToken?: string };
  if (!res.ok || !body.accessToken) throw new Error(`sign-in failed: ${res.status} ${JSON.stringify(body)}`);
  const token = body.accessToken;
  const call = async <T>(method: string, path: string, payload?: unknown): Promise<T> => {
    const r = await fetch(`${baseUrl}/api/v1${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${token}`,
        ...(payload ? { 'Content-Type': 'application/json' } : {}),
      },
      body: payload ? JSON.stringify(payload) : undefined,
    });
    const text = await r.text();
    if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
  return { baseUrl, token, call };
}

export async function failedSignIn(baseUrl: string, email: string): Promise<number> {
  const res = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password: 'not-the-password' }),
  });
  return res.status;
}

type Role = { id: string; name: string };
type Facility = { id: string; name: string };

/** Creates a user with one role in the first facility, as an administrator would. */
export async function createUserWithRole(
  admin: ApiSession,
  input: { email: string; displayName: string; password?: string; role: string },
): Promise<{ id: string; temporaryPassword?: string }> {
  const roles = await admin.call<{ items: Role[] }>('GET', '/access/roles');
  const facilities = await admin.call<{ items: Facility[] }>('GET', '/organization/facilities');
  const role = roles.items.find((r) => r.name === input.role);
  const facility = facilities.items[0];
  if (!role || !facility) throw new Error(`no role ${input.role} or no facility`);
  const res = await admin.call<{ user: { id: string }; temporaryPassword?: string }>('POST', '/auth/users', {
    email: input.email,
    displayName: input.displayName,
    ...(input.password ? { password: input.password } : {}),
    roles: [{ facilityId: facility.id, roleId: role.id }],
  });
  return { id: res.user.id, temporaryPassword: res.temporaryPassword };
}

export type RegisteredPatient = { id: string; mrn: string; displayName: string; version: number };

/** Registers a patient through the API, as a clerk would have done on an earlier day. */
export async function registerPatient(
  session: ApiSession,
  body: {
    name: { given?: string; middle?: string; family?: string };
    sex: 'male' | 'female' | 'other' | 'unknown';
    birth?: { birthDate: string } | { age: { years: number; months?: number } };
    phones?: { number: string; kind?: 'mobile' | 'home' | 'work' }[];
    address?: { locality?: string; country?: string };
    duplicateOverride?: { reason: string; candidateIds: string[] };
  },
): Promise<RegisteredPatient> {
  return session.call<RegisteredPatient>('POST', '/patients', body);
}

/**
 * A staff member ready to work: created by the administrator with a one-time password, which they have already
 * replaced by their own (every new user must, at first sign-in).
 */
export async function createStaffMember(
  admin: ApiSession,
  input: { email: string; displayName: string; password: string; role: string },
): Promise<{ id: string }> {
  const first = `${input.password}-first`;
  const { id } = await createUserWithRole(admin, { ...input, password: first });
  const session = await apiSignIn(admin.baseUrl, input.email, first);
  await session.call('POST', '/auth/password', { currentPassword: first, newPassword: input.password });
  return { id };
}
