import { z } from 'zod';
import { IsoDateTime, Text, Uuid } from './common';

function isTimeZone(tz: string): boolean {
  // Accepts aliases too (Node's ICU lists Asia/Calcutta as canonical, people write Asia/Kolkata).
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return /^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/.test(tz);
  } catch {
    return false;
  }
}
export const TimeZone = z.string().max(64).refine(isTimeZone, 'an IANA time zone');
export const FacilityCode = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9]{2,10}$/, '2-10 letters or digits');

export const Facility = z.object({
  id: Uuid,
  code: z.string(),
  name: z.string(),
  timeZone: z.string(),
  currency: z.string(),
  addressLine: z.string().nullable(),
  city: z.string().nullable(),
  state: z.string().nullable(),
  postalCode: z.string().nullable(),
  country: z.string(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  registrationNumber: z.string().nullable(),
  gstin: z.string().nullable(),
  active: z.boolean(),
  version: z.number().int(),
  createdAt: IsoDateTime,
});
export type Facility = z.infer<typeof Facility>;
export const FacilityList = z.object({ items: z.array(Facility) });

const optionalText = (max: number) => z.string().trim().max(max).nullable().optional();
export const FacilityFields = z.object({
  name: Text(160),
  timeZone: TimeZone.default('Asia/Kolkata'),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'an ISO 4217 code')
    .default('INR'),
  addressLine: optionalText(300),
  city: optionalText(100),
  state: optionalText(100),
  postalCode: optionalText(20),
  country: z
    .string()
    .regex(/^[A-Z]{2}$/, 'an ISO 3166 alpha-2 code')
    .default('IN'),
  phone: z
    .string()
    .trim()
    .regex(/^\+?[0-9 -]{6,20}$/, 'a phone number')
    .nullable()
    .optional(),
  email: z.email().nullable().optional(),
  registrationNumber: optionalText(60),
  gstin: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[0-9]{2}[A-Z0-9]{10}[0-9A-Z]{3}$/, 'a 15-character GSTIN')
    .nullable()
    .optional(),
});
export const CreateFacilityBody = FacilityFields.extend({ code: FacilityCode });
export const UpdateFacilityBody = FacilityFields.partial().extend({
  active: z.boolean().optional(),
  version: z.number().int().min(1),
});

export const departmentKinds = ['clinical', 'diagnostic', 'nursing', 'support', 'administrative'] as const;
export const DepartmentKind = z.enum(departmentKinds);
export const Department = z.object({
  id: Uuid,
  facilityId: Uuid,
  code: z.string(),
  name: z.string(),
  kind: DepartmentKind,
  parentId: Uuid.nullable(),
  active: z.boolean(),
  version: z.number().int(),
});
export type Department = z.infer<typeof Department>;
export const DepartmentList = z.object({ items: z.array(Department) });
export const DepartmentCode = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9-]{2,16}$/, '2-16 letters, digits or dashes');
export const CreateDepartmentBody = z.object({
  code: DepartmentCode,
  name: Text(160),
  kind: DepartmentKind,
  parentId: Uuid.nullable().optional(),
});
export const UpdateDepartmentBody = z.object({
  name: Text(160).optional(),
  kind: DepartmentKind.optional(),
  parentId: Uuid.nullable().optional(),
  active: z.boolean().optional(),
  version: z.number().int().min(1),
});
export const FacilityParams = z.object({ facilityId: Uuid });
export const DepartmentParams = z.object({ facilityId: Uuid, id: Uuid });
