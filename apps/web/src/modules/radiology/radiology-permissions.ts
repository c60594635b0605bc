import type { radiologyPermissions } from '@newhms/contracts';

// The permissions the radiology module declares on the server (apps/server/src/modules/radiology/index.ts).
export type RadiologyPermission = (typeof radiologyPermissions)[number];
