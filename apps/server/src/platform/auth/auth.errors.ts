import { DomainError } from '../http/errors';

/** One message for every failed login, so that it does not tell which part was wrong. */
export class InvalidCredentials extends DomainError {
  constructor() {
    super(401, 'AUTH_INVALID_CREDENTIALS', 'The e-mail or password is not right');
  }
}
export class AccountLocked extends DomainError {
  constructor(until: Date) {
    super(
      423,
      'AUTH_ACCOUNT_LOCKED',
      `Too many failed attempts; the account is locked until ${until.toISOString()} or until an administrator unlocks it`,
    );
  }
}
export class SessionExpired extends DomainError {
  constructor(message = 'Your session has ended; sign in again') {
    super(401, 'AUTH_SESSION_EXPIRED', message);
  }
}
export class PasswordChangeRequired extends DomainError {
  constructor() {
    super(403, 'AUTH_PASSWORD_CHANGE_REQUIRED', 'Change your password before you continue');
  }
}
