import type { FastifyReply, FastifyRequest } from 'fastify';
import { etagOf } from '../http/etag';
import type { Resource } from './fhir-resources';
import { FhirError } from './operation-outcome';

export const FHIR_JSON = 'application/fhir+json; charset=utf-8';
export const FHIR_PREFIX = '/fhir/R4';

const HOST = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

/**
 * The service base URL that links and fullUrls start with: NEWHMS_PUBLIC_URL when configured, else the
 * scheme and host the request came in on (a malformed Host header falls back to localhost).
 */
export function fhirBaseUrl(request: FastifyRequest, publicUrl: string | undefined): string {
  if (publicUrl) return `${publicUrl.replace(/\/+$/, '')}${FHIR_PREFIX}`;
  const host = HOST.test(request.host) ? request.host : 'localhost';
  const scheme = request.protocol === 'https' ? 'https' : 'http';
  return `${scheme}://${host}${FHIR_PREFIX}`;
}

/** ETag W/"<versionId>", Last-Modified, and (after a create or an update) Location of the version. */
export function setResourceHeaders(
  reply: FastifyReply,
  resource: Resource & { meta?: { versionId?: string; lastUpdated?: string } },
  location?: string,
): void {
  const version = Number(resource.meta?.versionId);
  if (Number.isInteger(version)) reply.header('etag', etagOf(version));
  if (resource.meta?.lastUpdated) {
    reply.header('last-modified', new Date(resource.meta.lastUpdated).toUTCString());
  }
  if (location) reply.header('location', location);
}

/**
 * The version an update is based on, from If-Match: W/"3" (or "3"). Missing is 428 Precondition Required,
 * so that no client overwrites a record it has not read; a malformed one is 400.
 */
export function requireIfMatch(request: FastifyRequest): number {
  const raw = request.headers['if-match'];
  if (raw === undefined || raw === '') {
    throw new FhirError(
      428,
      [
        {
          severity: 'error',
          code: 'required',
          details: { text: 'An update needs If-Match: W/"<versionId>" of the version it is based on' },
        },
      ],
      'FHIR_IF_MATCH_REQUIRED',
    );
  }
  const m = typeof raw === 'string' ? /^(?:W\/)?"(\d{1,9})"$/.exec(raw.trim()) : null;
  if (!m) {
    throw new FhirError(
      400,
      [{ severity: 'error', code: 'invalid', details: { text: 'If-Match must look like W/"<versionId>"' } }],
      'FHIR_IF_MATCH_INVALID',
    );
  }
  return Number(m[1]);
}

/** The If-Match version did not match the current one. */
export function versionConflict(current?: number): FhirError {
  return new FhirError(
    412,
    [
      {
        severity: 'error',
        code: 'conflict',
        details: {
          text: `The resource has changed since that version${current ? ` (it is now version ${current})` : ''}; read it again`,
        },
      },
    ],
    'PRECONDITION_FAILED',
  );
}
