import { z } from 'zod';
import { IsoDateTime, Text, Uuid } from './common';

export const Email = z.string().trim().toLowerCase().pipe(z.email()).pipe(z.string().max(254));
export const PasswordInput = z.string().min(1).max(256);

export const LoginBody = z.object({ email: Email, password: PasswordInput });

export const TokenResponse = z.object({
  accessToken: z.string(),
  tokenType: z.literal('Bearer'),
  expiresIn: z.number().int(),
  passwordChangeRequired: z.boolean().optional(),
});
export type TokenResponse = z.infer<typeof TokenResponse>;

/** The password was right but a second step is needed: enter a TOTP code, or enrol first. */
export const MfaChallengeResponse = z.object({
  mfaRequired: z.literal(true),
  mfaEnrollmentRequired: z.boolean(),
  mfaToken: z.string(),
});
export const LoginResponse = z.union([TokenResponse, MfaChallengeResponse]);
export type LoginResponse = z.infer<typeof LoginResponse>;

export const MfaVerifyBody = z.object({
  mfaToken: z.string().min(10).max(200),
  code: z
    .string()
    .trim()
    .regex(/^\d{6}$/, 'a 6-digit code')
    .optional(),
  recoveryCode: z.string().trim().min(8).max(40).optional(),
});

export const MfaEnrollStartBody = z.object({ mfaToken: z.string().min(10).max(200).optional() });
export const MfaEnrollStartResponse = z.object({
  secret: z.string(),
  otpauthUrl: z.string(),
  qrDataUrl: z.string(),
});
export const MfaEnrollConfirmBody = z.object({
  mfaToken: z.string().min(10).max(200).optional(),
  code: z
    .string()
    .trim()
    .regex(/^\d{6}$/, 'a 6-digit code'),
});
export const MfaEnrollConfirmResponse = z.object({
  recoveryCodes: z.array(z.string()),
  tokens: TokenResponse.optional(),
});

export const ChangePasswordBody = z.object({
  currentPassword: PasswordInput,
  newPassword: PasswordInput,
});

export const FacilityRoles = z.object({
  facilityId: Uuid,
  facilityName: z.string(),
  /** IANA zone of the facility: clinic days and times are shown in it from the first render. */
  timeZone: z.string(),
  roles: z.array(z.string()),
});

export const Me = z.object({
  id: Uuid,
  email: z.string(),
  displayName: z.string(),
  mfaEnabled: z.boolean(),
  mfaRequired: z.boolean(),
  passwordChangeRequired: z.boolean(),
  facilityId: Uuid.nullable(),
  facilities: z.array(FacilityRoles),
  permissions: z.array(z.string()),
  sessionId: Uuid,
});
export type Me = z.infer<typeof Me>;

export const Session = z.object({
  id: Uuid,
  createdAt: IsoDateTime,
  lastSeenAt: IsoDateTime,
  expiresAt: IsoDateTime,
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  current: z.boolean(),
});
export const SessionList = z.object({ items: z.array(Session) });

export const UserStatus = z.enum(['active', 'disabled']);
export const User = z.object({
  id: Uuid,
  email: z.string(),
  displayName: z.string(),
  status: UserStatus,
  locked: z.boolean(),
  mfaEnabled: z.boolean(),
  mustChangePassword: z.boolean(),
  lastLoginAt: IsoDateTime.nullable(),
  roles: z.array(z.object({ facilityId: Uuid, roleId: Uuid, roleName: z.string() })),
  version: z.number().int(),
  createdAt: IsoDateTime,
});
export type User = z.infer<typeof User>;

export const UserListQuery = z.object({
  q: z.string().trim().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});

export const CreateUserBody = z.object({
  email: Email,
  displayName: Text(120),
  password: PasswordInput.optional(),
  roles: z
    .array(z.object({ facilityId: Uuid, roleId: Uuid }))
    .max(50)
    .default([]),
});
export const CreateUserResponse = z.object({ user: User, temporaryPassword: z.string().optional() });

export const UpdateUserBody = z.object({
  displayName: Text(120).optional(),
  status: UserStatus.optional(),
  version: z.number().int().min(1),
});
export const SetUserRolesBody = z.object({
  roles: z.array(z.object({ facilityId: Uuid, roleId: Uuid })).max(50),
  version: z.number().int().min(1),
});
export const ResetPasswordResponse = z.object({ temporaryPassword: z.string() });
