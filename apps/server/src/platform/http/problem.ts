import type { Problem } from '@newhms/contracts';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { DomainError } from './errors';

const titles: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function problem(
  status: number,
  code: string,
  detail?: string,
  extra: Partial<Problem> = {},
): Problem {
  return {
    type: `https://newhms.dev/problems/${code.toLowerCase().replaceAll('_', '-')}`,
    title: titles[status] ?? 'Error',
    status,
    code,
    ...(detail ? { detail } : {}),
    ...extra,
  };
}

// PostgreSQL error classes that only bad input can cause once the route's schema has passed.
const pgInputErrors: Record<string, [number, string, string]> = {
  '23505': [409, 'DUPLICATE', 'A record with the same unique value already exists'],
  '23P01': [409, 'CONFLICTING_BOOKING', 'This conflicts with an existing booking'],
  '23503': [409, 'REFERENCE_NOT_FOUND', 'A referenced record does not exist or is still in use'],
  '23514': [422, 'CONSTRAINT_VIOLATED', 'The change breaks a rule of the data'],
  '23502': [400, 'MISSING_VALUE', 'A required value is missing'],
  '22P02': [400, 'INVALID_VALUE', 'A value has the wrong format'],
  '22001': [400, 'VALUE_TOO_LONG', 'A value is too long'],
  '22003': [400, 'VALUE_OUT_OF_RANGE', 'A number is out of range'],
  '22007': [400, 'INVALID_DATE', 'A date or time is not valid'],
  '22008': [400, 'INVALID_DATE', 'A date or time is out of range'],
  '22021': [400, 'INVALID_TEXT', 'A value contains characters that cannot be stored (such as NUL)'],
  '22P05': [400, 'INVALID_TEXT', 'A value contains characters that cannot be stored (such as NUL)'],
  '40001': [409, 'RETRY', 'A concurrent change got there first; try again'],
  '40P01': [409, 'RETRY', 'A concurrent change got there first; try again'],
};

/** The PostgreSQL error code (SQLSTATE) of an error or of its cause, if it is one. */
export function pgCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let i = 0; i < 3 && e && typeof e === 'object'; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** What a database error that only bad input can cause means for the client, or undefined. */
export function databaseInputError(
  err: unknown,
): { status: number; code: string; detail: string } | undefined {
  const code = pgCode(err);
  const known = code ? pgInputErrors[code] : undefined;
  return known ? { status: known[0], code: known[1], detail: known[2] } : undefined;
}

/** One place that turns every error into application/problem+json; a 5xx says nothing internal. */
/** Answers any error as problem+json: the app's error handler, and Fastify's router errors (`frameworkErrors`). */
export function replyWithProblem(err: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const requestId = String(request.id);
  let body: Problem;
  if (err instanceof DomainError) {
    body = problem(err.status, err.code, err.message, {
      ...err.extensions,
      ...(err.errors ? { errors: err.errors } : {}),
    });
  } else if (hasZodFastifySchemaValidationErrors(err)) {
    const errors = err.validation.map((v) => ({
      path: [err.validationContext, ...String(v.instancePath).split('/').filter(Boolean)].join('.'),
      message: v.message ?? 'invalid',
    }));
    body = problem(400, 'VALIDATION_FAILED', errors.map((e) => `${e.path}: ${e.message}`).join('; '), {
      errors,
    });
  } else if (isResponseSerializationError(err)) {
    request.log.error({ err }, 'response did not match its contract');
    body = problem(500, 'INTERNAL', 'The server could not complete the request');
  } else if (databaseInputError(err)) {
    const { status, code, detail } = databaseInputError(err)!;
    request.log.info({ err: { message: err.message, code: pgCode(err) } }, 'database refused input');
    body = problem(status, code, detail);
  } else if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
    // Fastify's own client errors: malformed JSON, body too large, unsupported media type.
    body = problem(err.statusCode, err.code ?? 'BAD_REQUEST', err.message);
  } else {
    request.log.error({ err }, 'unhandled error');
    body = problem(500, 'INTERNAL', 'The server could not complete the request');
  }
  body.requestId = requestId;
  body.instance = request.url.split('?')[0];
  return reply.status(body.status).type('application/problem+json').send(body);
}

export function registerProblemHandler(app: FastifyInstance): void {
  app.setErrorHandler(replyWithProblem);

  app.setNotFoundHandler((request, reply) => {
    reply
      .status(404)
      .type('application/problem+json')
      .send({
        ...problem(404, 'ROUTE_NOT_FOUND', `No route for ${request.method} ${request.url.split('?')[0]}`),
        requestId: String(request.id),
      });
  });
}
