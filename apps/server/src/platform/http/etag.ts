import type { FastifyReply, FastifyRequest } from 'fastify';
import { PreconditionFailed } from './errors';

/** A weak ETag from a row's version. */
export function etagOf(version: number): string {
  return `W/"${version}"`;
}

export function setEtag(reply: FastifyReply, version: number): void {
  reply.header('etag', etagOf(version));
}

/**
 * The version the client says it last read: If-Match wins over the body's version. A mismatch with
 * If-Match is 412; the service compares the body version and answers 409 when stale.
 */
export function expectedVersion(
  request: FastifyRequest,
  bodyVersion: number | undefined,
): number | undefined {
  const ifMatch = request.headers['if-match'];
  if (typeof ifMatch === 'string' && ifMatch.trim() !== '') {
    const m = /^(?:W\/)?"(\d+)"$/.exec(ifMatch.trim());
    if (!m) throw new PreconditionFailed('If-Match must be an ETag this server issued');
    const v = Number(m[1]);
    if (bodyVersion !== undefined && bodyVersion !== v) throw new PreconditionFailed();
    return v;
  }
  return bodyVersion;
}
