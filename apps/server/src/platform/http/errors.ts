/** Domain errors. Services throw these; one handler (problem.ts) turns them into RFC 9457 replies. */
export class DomainError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly errors?: { path: string; message: string }[],
    /** RFC 9457 extension members added to the problem body (e.g. duplicate candidates). */
    readonly extensions?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export class NotFound extends DomainError {
  constructor(what: string, code = 'NOT_FOUND') {
    super(404, code, `${what} was not found`);
  }
}
export class Conflict extends DomainError {
  constructor(code: string, message: string, extensions?: Record<string, unknown>) {
    super(409, code, message, undefined, extensions);
  }
}
export class RuleViolation extends DomainError {
  constructor(code: string, message: string, errors?: { path: string; message: string }[]) {
    super(422, code, message, errors);
  }
}
export class BadRequest extends DomainError {
  constructor(code: string, message: string, errors?: { path: string; message: string }[]) {
    super(400, code, message, errors);
  }
}
export class Unauthorized extends DomainError {
  constructor(code = 'AUTH_REQUIRED', message = 'Authentication is required') {
    super(401, code, message);
  }
}
export class Forbidden extends DomainError {
  constructor(code = 'ACCESS_DENIED', message = 'You do not have permission to do this') {
    super(403, code, message);
  }
}
export class PreconditionFailed extends DomainError {
  constructor(message = 'The resource has changed since you read it; reload and try again') {
    super(412, 'PRECONDITION_FAILED', message);
  }
}
export class StaleVersion extends DomainError {
  constructor(what: string) {
    super(409, 'STALE_VERSION', `${what} was changed by someone else; reload and try again`);
  }
}
export class TooManyRequests extends DomainError {
  constructor(code: string, message: string) {
    super(429, code, message);
  }
}
