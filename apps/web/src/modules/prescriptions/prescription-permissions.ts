// The permissions of prescribing and the MAR the server's pharmacy module declares
// (apps/server/src/modules/pharmacy/index.ts) that the web's pharmacy list does not name yet.
const prescriptionPermissions = ['pharmacy:prescribe', 'pharmacy:administer'] as const;
export type PrescriptionPermission = (typeof prescriptionPermissions)[number];
