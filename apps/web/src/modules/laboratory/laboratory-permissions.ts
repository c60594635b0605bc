import type { laboratoryPermissions } from '@newhms/contracts';

// The permissions the laboratory module declares on the server (apps/server/src/modules/laboratory/index.ts).
export type LaboratoryPermission = (typeof laboratoryPermissions)[number];
