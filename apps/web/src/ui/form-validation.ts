import type { z } from 'zod';
import { ApiError } from '../app/api-client';

export type FieldErrors = Record<string, string>;

export type Validated<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors };

/** Validates form values with a contracts schema; errors keyed by the top-level field name. */
export function validateForm<S extends z.ZodType>(schema: S, values: unknown): Validated<z.output<S>> {
  const result = schema.safeParse(values);
  if (result.success) return { ok: true, data: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const key = issue.path.map(String).join('.') || '_form';
    if (!errors[key]) errors[key] = issue.message;
  }
  return { ok: false, errors };
}

/** Field errors from a server problem's `errors[]` (paths like `body.newPassword`). */
export function fieldErrorsFromProblem(err: unknown): FieldErrors {
  if (!(err instanceof ApiError)) return {};
  const errors: FieldErrors = {};
  for (const e of err.problem.errors ?? []) {
    const key = e.path.replace(/^(body|query|params)[./]/, '').replaceAll('/', '.');
    errors[key] = errors[key] ? `${errors[key]}; ${e.message}` : e.message;
  }
  return errors;
}

/** Empty strings become null, so that optional text fields clear on the server. */
export function blankToNull(value: string): string | null {
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}
