import type { FastifyError } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { DomainError } from '../http/errors';
import { databaseInputError } from '../http/problem';
import type { IssueType, OperationOutcome, OperationOutcomeIssue } from './fhir-resources';

/** Where the machine-readable Newhms error codes (PATIENT_NOT_FOUND, ...) live in an issue's details. */
const ERROR_CODE_SYSTEM = 'https://newhms.dev/fhir/CodeSystem/error-code';

/** An error whose OperationOutcome issues are already written (FHIR paths, issue codes). */
export class FhirError extends DomainError {
  constructor(
    status: number,
    readonly issues: OperationOutcomeIssue[],
    code = 'FHIR_INVALID',
  ) {
    super(status, code, issues[0]?.details?.text ?? issues[0]?.diagnostics ?? 'The request failed');
  }
}

/** One error issue about one element, e.g. invalidElement('Patient.gender', 'one of male, female, ...'). */
export function issueAt(expression: string, text: string, code: IssueType = 'value'): OperationOutcomeIssue {
  return { severity: 'error', code, details: { text }, expression: [expression] };
}

export function operationOutcome(issues: OperationOutcomeIssue[]): OperationOutcome {
  return { resourceType: 'OperationOutcome', issue: issues };
}

const issueTypeOfStatus: Record<number, IssueType> = {
  400: 'invalid',
  401: 'login',
  403: 'forbidden',
  404: 'not-found',
  405: 'not-supported',
  406: 'not-supported',
  409: 'conflict',
  412: 'conflict',
  413: 'too-long',
  415: 'not-supported',
  422: 'business-rule',
  428: 'required',
  429: 'throttled',
};

// FHIR's issue types say a little more than the HTTP status for some database refusals.
const issueTypeOfDatabaseError: Record<string, IssueType> = {
  DUPLICATE: 'duplicate',
  RETRY: 'transient',
  MISSING_VALUE: 'required',
  VALUE_TOO_LONG: 'too-long',
  INVALID_VALUE: 'value',
  VALUE_OUT_OF_RANGE: 'value',
  INVALID_DATE: 'value',
};

/** A path that is already a FHIRPath expression (starts with a resource type), not "body.x" or "query.y". */
const FHIR_PATH = /^[A-Z][A-Za-z]+(\.|$)/;

function domainIssues(err: DomainError): OperationOutcomeIssue[] {
  const code = issueTypeOfStatus[err.status] ?? (err.status >= 500 ? 'exception' : 'processing');
  const details = { coding: [{ system: ERROR_CODE_SYSTEM, code: err.code }], text: err.message };
  if (!err.errors?.length) return [{ severity: 'error', code, details }];
  return err.errors.map((e) => ({
    severity: 'error',
    code: err.status === 400 || err.status === 422 ? 'value' : code,
    details: { ...details, text: e.message },
    ...(FHIR_PATH.test(e.path) ? { expression: [e.path] } : { diagnostics: `${e.path}: ${e.message}` }),
  }));
}

/**
 * Turns any error into an HTTP status and an OperationOutcome. A 5xx says nothing internal; the caller logs
 * it. Mirrors the problem+json handler (platform/http/problem.ts) for the rest of the API.
 */
export function outcomeOfError(err: unknown): {
  status: number;
  outcome: OperationOutcome;
  internal: boolean;
} {
  if (err instanceof FhirError)
    return { status: err.status, outcome: operationOutcome(err.issues), internal: false };
  if (err instanceof DomainError) {
    return { status: err.status, outcome: operationOutcome(domainIssues(err)), internal: err.status >= 500 };
  }
  const fe = err as FastifyError;
  if (hasZodFastifySchemaValidationErrors(fe)) {
    return {
      status: 400,
      outcome: operationOutcome(
        fe.validation.map((v) => ({
          severity: 'error',
          code: 'invalid',
          details: { text: v.message ?? 'invalid' },
          diagnostics: [fe.validationContext, ...String(v.instancePath).split('/').filter(Boolean)].join('.'),
        })),
      ),
      internal: false,
    };
  }
  if (!isResponseSerializationError(fe)) {
    const known = databaseInputError(err);
    if (known) {
      const { status, detail: text } = known;
      // The same mapping as problem+json; FHIR's issue type says a little more for duplicates and retries.
      const code: IssueType = issueTypeOfDatabaseError[known.code] ?? issueTypeOfStatus[status] ?? 'invalid';
      return {
        status,
        outcome: operationOutcome([{ severity: 'error', code, details: { text } }]),
        internal: false,
      };
    }
    if (typeof fe?.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
      // Fastify's own client errors: malformed JSON, body too large, unsupported media type.
      const code: IssueType =
        fe.statusCode === 400 ? 'structure' : (issueTypeOfStatus[fe.statusCode] ?? 'processing');
      return {
        status: fe.statusCode,
        outcome: operationOutcome([{ severity: 'error', code, details: { text: fe.message } }]),
        internal: false,
      };
    }
  }
  return {
    status: 500,
    outcome: operationOutcome([
      {
        severity: 'error',
        code: 'exception',
        details: { text: 'The server could not complete the request' },
      },
    ]),
    internal: true,
  };
}
