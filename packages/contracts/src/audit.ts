import { z } from 'zod';
import { IsoDateTime, Uuid } from './common';

export const auditActions = [
  'create',
  'read',
  'update',
  'delete',
  'search',
  'print',
  'export',
  'login',
  'login-failed',
  'logout',
  'mfa',
  'password',
  'session',
  'access-denied',
  'break-glass',
  'admin',
] as const;
export const AuditAction = z.enum(auditActions);
export const AuditOutcome = z.enum(['success', 'failure', 'denied']);

export const AuditEntry = z.object({
  id: Uuid,
  occurredAt: IsoDateTime,
  actorId: Uuid.nullable(),
  actorType: z.string(),
  actorName: z.string().nullable(),
  facilityId: Uuid.nullable(),
  action: z.string(),
  resourceType: z.string(),
  resourceId: z.string().nullable(),
  patientId: Uuid.nullable(),
  outcome: z.string(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  requestId: z.string().nullable(),
  breakGlass: z.boolean(),
  detail: z.unknown().nullable(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const auditSortFields = [
  'occurredAt',
  'actorName',
  'action',
  'resourceType',
  'outcome',
  'patientId',
  'ip',
] as const;

/** ONC 170.315(d)(3): a report for a period, filterable and sortable by each field. */
export const AuditQuery = z.object({
  from: IsoDateTime.optional(),
  to: IsoDateTime.optional(),
  actorId: Uuid.optional(),
  actorName: z.string().trim().max(120).optional(),
  action: z.string().trim().max(40).optional(),
  resourceType: z.string().trim().max(60).optional(),
  resourceId: z.string().trim().max(100).optional(),
  patientId: Uuid.optional(),
  outcome: AuditOutcome.optional(),
  ip: z.string().trim().max(60).optional(),
  breakGlass: z.enum(['true', 'false']).optional(),
  sort: z.enum(auditSortFields).default('occurredAt'),
  order: z.enum(['asc', 'desc']).default('desc'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().max(1000).optional(),
});
export type AuditQuery = z.infer<typeof AuditQuery>;
export const AuditPage = z.object({ items: z.array(AuditEntry), nextCursor: z.string().nullable() });

export const AuditVerifyResponse = z.object({
  valid: z.boolean(),
  checked: z.number().int(),
  firstInvalidId: Uuid.optional(),
  reason: z.string().optional(),
});
