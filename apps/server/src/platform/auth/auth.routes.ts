import {
  ChangePasswordBody,
  CreateUserBody,
  CreateUserResponse,
  IdParams,
  LoginBody,
  LoginResponse,
  Me,
  MfaEnrollConfirmBody,
  MfaEnrollConfirmResponse,
  MfaEnrollStartBody,
  MfaEnrollStartResponse,
  MfaVerifyBody,
  Problem,
  ResetPasswordResponse,
  SessionList,
  SetUserRolesBody,
  TokenResponse,
  UpdateUserBody,
  User,
  UserListQuery,
} from '@newhms/contracts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../config/config';
import { Unauthorized } from '../http/errors';
import { expectedVersion, setEtag } from '../http/etag';
import * as auth from './auth.service';
import * as usersService from './users.service';

const REFRESH_COOKIE = 'newhms_rt';
const COOKIE_PATH = '/api/v1/auth';
const errors = {
  400: Problem,
  401: Problem,
  403: Problem,
  404: Problem,
  409: Problem,
  422: Problem,
  423: Problem,
};
const tags = ['auth'];

function cookieSecure(config: Config): boolean {
  if (config.NEWHMS_COOKIE_SECURE !== 'auto') return config.NEWHMS_COOKIE_SECURE === 'true';
  return config.NEWHMS_PUBLIC_URL?.startsWith('https:') ?? false;
}

export async function authRoutes(app: FastifyInstance, settings: auth.AuthSettings): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const config = settings.config;

  function setRefreshCookie(reply: FastifyReply, token: string) {
    reply.setCookie(REFRESH_COOKIE, token, {
      httpOnly: true,
      sameSite: 'strict',
      secure: cookieSecure(config),
      path: COOKIE_PATH,
      maxAge: config.NEWHMS_SESSION_MAX_HOURS * 3600,
    });
  }
  function clearRefreshCookie(reply: FastifyReply) {
    reply.clearCookie(REFRESH_COOKIE, { path: COOKIE_PATH });
  }
  function refreshCookieOf(request: FastifyRequest): string | undefined {
    const v = request.cookies[REFRESH_COOKIE];
    return typeof v === 'string' && /^[A-Za-z0-9_-]{20,100}$/.test(v) ? v : undefined;
  }

  r.post(
    '/api/v1/auth/login',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'Sign in with e-mail and password',
        body: LoginBody,
        response: { 200: LoginResponse, ...errors },
      },
    },
    async (request, reply) => {
      const result = await auth.login(request.ctx, settings, request.body);
      if (result.kind === 'mfa') return result.response;
      setRefreshCookie(reply, result.issued.refreshToken);
      return result.issued.response;
    },
  );

  r.post(
    '/api/v1/auth/login/mfa',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'Second sign-in step: TOTP or recovery code',
        body: MfaVerifyBody,
        response: { 200: TokenResponse, ...errors },
      },
    },
    async (request, reply) => {
      const issued = await auth.verifyMfaLogin(request.ctx, settings, request.body);
      setRefreshCookie(reply, issued.refreshToken);
      return issued.response;
    },
  );

  r.post(
    '/api/v1/auth/mfa/enroll',
    {
      config: { public: true, allowDuringPasswordChange: true },
      schema: {
        tags,
        summary: 'Start TOTP enrolment',
        body: MfaEnrollStartBody,
        response: { 200: MfaEnrollStartResponse, ...errors },
      },
    },
    async (request) => {
      if (!request.body.mfaToken && !request.actor) throw new Unauthorized();
      return auth.startMfaEnrolment(request.ctx, settings, request.body.mfaToken);
    },
  );

  r.post(
    '/api/v1/auth/mfa/enroll/confirm',
    {
      config: { public: true, allowDuringPasswordChange: true },
      schema: {
        tags,
        summary: 'Confirm TOTP enrolment with a first code',
        body: MfaEnrollConfirmBody,
        response: { 200: MfaEnrollConfirmResponse, ...errors },
      },
    },
    async (request, reply) => {
      if (!request.body.mfaToken && !request.actor) throw new Unauthorized();
      const result = await auth.confirmMfaEnrolment(request.ctx, settings, request.body);
      if (result.issued) setRefreshCookie(reply, result.issued.refreshToken);
      return {
        recoveryCodes: result.recoveryCodes,
        ...(result.issued ? { tokens: result.issued.response } : {}),
      };
    },
  );

  r.post(
    '/api/v1/auth/refresh',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'New access token from the refresh cookie (rotates it)',
        response: { 200: TokenResponse, ...errors },
      },
    },
    async (request, reply) => {
      const token = refreshCookieOf(request);
      if (!token) throw new Unauthorized('AUTH_SESSION_EXPIRED', 'No session to refresh; sign in again');
      try {
        const issued = await auth.refreshSession(request.ctx, settings, token);
        setRefreshCookie(reply, issued.refreshToken);
        return issued.response;
      } catch (e) {
        clearRefreshCookie(reply);
        throw e;
      }
    },
  );

  r.post(
    '/api/v1/auth/logout',
    {
      config: { public: true, allowDuringPasswordChange: true },
      schema: { tags, summary: 'Sign out: ends this session', response: { 204: z.null(), ...errors } },
    },
    async (request, reply) => {
      if (request.actor?.type === 'user') await auth.logout(request.ctx, request.actor.sessionId);
      else {
        const token = refreshCookieOf(request);
        if (token) await auth.logoutByRefreshToken(request.ctx, token);
      }
      clearRefreshCookie(reply);
      return reply.status(204).send(null);
    },
  );

  r.get(
    '/api/v1/auth/me',
    {
      config: { allowDuringPasswordChange: true },
      schema: {
        tags,
        summary: 'The signed-in user, facility, roles and permissions',
        response: { 200: Me, ...errors },
      },
    },
    async (request) => auth.describeMe(request.ctx, settings, request.signedIn),
  );

  r.post(
    '/api/v1/auth/password',
    {
      config: { allowDuringPasswordChange: true },
      schema: {
        tags,
        summary: 'Change own password',
        body: ChangePasswordBody,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      await auth.changePassword(request.ctx, request.body);
      return reply.status(204).send(null);
    },
  );

  r.get(
    '/api/v1/auth/sessions',
    { schema: { tags, summary: 'My active sessions', response: { 200: SessionList, ...errors } } },
    async (request) => ({ items: await auth.listOwnSessions(request.ctx, settings) }),
  );

  r.delete(
    '/api/v1/auth/sessions/:id',
    {
      schema: {
        tags,
        summary: 'End one of my sessions',
        params: IdParams,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      await auth.revokeOwnSession(request.ctx, request.params.id);
      return reply.status(204).send(null);
    },
  );

  // User administration.
  const manage = { preHandler: app.requirePermission('auth:manage-users') };
  const userTags = ['users'];

  r.get(
    '/api/v1/auth/users',
    {
      ...manage,
      schema: {
        tags: userTags,
        querystring: UserListQuery,
        response: { 200: z.object({ items: z.array(User), nextCursor: z.string().nullable() }), ...errors },
      },
    },
    async (request) => usersService.listUsers(request.ctx, request.query),
  );

  r.post(
    '/api/v1/auth/users',
    {
      ...manage,
      config: { idempotent: true },
      schema: { tags: userTags, body: CreateUserBody, response: { 201: CreateUserResponse, ...errors } },
    },
    async (request, reply) => {
      const result = await usersService.createUser(request.ctx, request.body);
      return reply.status(201).send(result);
    },
  );

  r.get(
    '/api/v1/auth/users/:id',
    { ...manage, schema: { tags: userTags, params: IdParams, response: { 200: User, ...errors } } },
    async (request, reply) => {
      const user = await usersService.getUser(request.ctx, request.params.id);
      setEtag(reply, user.version);
      return user;
    },
  );

  r.patch(
    '/api/v1/auth/users/:id',
    {
      ...manage,
      schema: { tags: userTags, params: IdParams, body: UpdateUserBody, response: { 200: User, ...errors } },
    },
    async (request, reply) => {
      const version = expectedVersion(request, request.body.version) ?? request.body.version;
      const user = await usersService.updateUser(request.ctx, request.params.id, {
        ...request.body,
        version,
      });
      setEtag(reply, user.version);
      return user;
    },
  );

  r.put(
    '/api/v1/auth/users/:id/roles',
    {
      ...manage,
      schema: {
        tags: userTags,
        params: IdParams,
        body: SetUserRolesBody,
        response: { 200: User, ...errors },
      },
    },
    async (request, reply) => {
      const version = expectedVersion(request, request.body.version) ?? request.body.version;
      const user = await usersService.setUserRoles(request.ctx, request.params.id, {
        ...request.body,
        version,
      });
      setEtag(reply, user.version);
      return user;
    },
  );

  for (const [action, fn] of [
    ['lock', usersService.lockUser],
    ['unlock', usersService.unlockUser],
  ] as const) {
    r.post(
      `/api/v1/auth/users/:id/${action}`,
      { ...manage, schema: { tags: userTags, params: IdParams, response: { 200: User, ...errors } } },
      async (request) => fn(request.ctx, request.params.id),
    );
  }

  r.post(
    '/api/v1/auth/users/:id/reset-password',
    {
      ...manage,
      schema: { tags: userTags, params: IdParams, response: { 200: ResetPasswordResponse, ...errors } },
    },
    async (request) => usersService.resetPassword(request.ctx, request.params.id),
  );

  r.post(
    '/api/v1/auth/users/:id/revoke-sessions',
    { ...manage, schema: { tags: userTags, params: IdParams, response: { 204: z.null(), ...errors } } },
    async (request, reply) => {
      await usersService.revokeUserSessions(request.ctx, request.params.id);
      return reply.status(204).send(null);
    },
  );
}
