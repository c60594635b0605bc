import { z } from 'zod';
import { IsoDateTime, Text, Uuid } from './common';

export const PermissionName = z.string().regex(/^[a-z][a-z0-9-]*:[a-z][a-z0-9-]*$/, 'module:action');

export const Role = z.object({
  id: Uuid,
  name: z.string(),
  description: z.string(),
  permissions: z.array(z.string()),
  builtin: z.boolean(),
  version: z.number().int(),
});
export type Role = z.infer<typeof Role>;
export const RoleList = z.object({ items: z.array(Role) });

export const RoleName = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9-]{1,40}$/, 'lower-case letters, digits and dashes');
export const CreateRoleBody = z.object({
  name: RoleName,
  description: z.string().trim().max(300).default(''),
  permissions: z.array(PermissionName).max(500),
});
export const UpdateRoleBody = z.object({
  description: z.string().trim().max(300).optional(),
  permissions: z.array(PermissionName).max(500).optional(),
  version: z.number().int().min(1),
});

export const PermissionInfo = z.object({ name: z.string(), module: z.string() });
export const PermissionList = z.object({ items: z.array(PermissionInfo) });

export const BreakGlassBody = z.object({
  patientId: Uuid,
  reason: Text(500).pipe(z.string().min(10, 'say why, in at least 10 characters')),
  minutes: z.number().int().min(5).max(240).default(60),
});
export const BreakGlassGrant = z.object({
  id: Uuid,
  userId: Uuid,
  userName: z.string().optional(),
  facilityId: Uuid,
  patientId: Uuid,
  reason: z.string(),
  grantedAt: IsoDateTime,
  expiresAt: IsoDateTime,
  reviewedAt: IsoDateTime.nullable(),
  reviewedBy: Uuid.nullable(),
  reviewNote: z.string().nullable(),
});
export const BreakGlassList = z.object({
  items: z.array(BreakGlassGrant),
  nextCursor: z.string().nullable(),
});
export const BreakGlassListQuery = z.object({
  status: z.enum(['unreviewed', 'all']).default('unreviewed'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});
export const ReviewBreakGlassBody = z.object({ note: Text(1000) });
