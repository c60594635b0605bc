import { and, asc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { Ctx } from '../../../platform/context';
import { auditFhirRead, auditFhirSearch } from '../../../platform/fhir/fhir-audit';
import type { Bundle } from '../../../platform/fhir/fhir-resources';
import { parseSearch, searchBundle } from '../../../platform/fhir/fhir-search';
import { FhirError } from '../../../platform/fhir/operation-outcome';
import { appointments, practitioners } from '../opd.tables';
import { facilityClock } from '../opd-lookups';
import { requireFacility } from '../opd-records';
import {
  type AppointmentPractitioner,
  type FhirAppointment,
  toFhirAppointment,
} from './appointment-resource';
import { appointmentSearchDefs } from './appointment-search';

type AppointmentRow = typeof appointments.$inferSelect;

const where = (conditions: SQL[]) =>
  sql.join(
    conditions.map((c) => sql`(${c})`),
    sql` and `,
  );

const patientOf = (r: FhirAppointment) =>
  r.participant[0]?.actor.reference?.replace(/^Patient\//, '') ?? null;

async function practitionersOf(ctx: Ctx, rows: readonly AppointmentRow[]) {
  if (rows.length === 0) return new Map<string, AppointmentPractitioner>();
  const found = await ctx.db
    .select({
      id: practitioners.id,
      displayName: practitioners.displayName,
      specialty: practitioners.specialty,
    })
    .from(practitioners)
    .where(inArray(practitioners.id, [...new Set(rows.map((r) => r.practitionerId))]));
  return new Map(found.map((p) => [p.id, p]));
}

/** read: an appointment of the actor's facility (as GET /api/v1/opd/appointments/:id), audited with its patient. */
export async function readAppointmentResource(ctx: Ctx, id: string): Promise<FhirAppointment> {
  const facilityId = requireFacility(ctx);
  const [row] = await ctx.db
    .select()
    .from(appointments)
    .where(and(eq(appointments.id, id), eq(appointments.facilityId, facilityId)));
  if (!row) {
    throw new FhirError(
      404,
      [{ severity: 'error', code: 'not-found', details: { text: `Appointment/${id} is not known here` } }],
      'OPD_APPOINTMENT_NOT_FOUND',
    );
  }
  const names = await practitionersOf(ctx, [row]);
  await auditFhirRead(ctx, 'Appointment', id, row.patientId);
  return toFhirAppointment(row, names.get(row.practitionerId) ?? null);
}

/**
 * search over the actor's facility, like the REST list: patient, practitioner, actor, date (the start, in
 * the facility's zone), status, _id; ordered by id, paged with _count and the next link.
 */
export async function searchAppointmentResources(
  ctx: Ctx,
  query: Record<string, unknown>,
  options: { base: string; strict: boolean },
): Promise<Bundle> {
  const facilityId = requireFacility(ctx);
  const clock = await facilityClock(ctx.db, facilityId, ctx.now);
  const search = parseSearch(
    'Appointment',
    query,
    appointmentSearchDefs({ timeZone: clock.timeZone, now: ctx.now }),
    options,
  );
  const inFacility = sql`${appointments.facilityId} = ${facilityId}`;
  const { bundle, resources, cursor } = await searchBundle({
    resourceType: 'Appointment',
    search,
    base: options.base,
    now: ctx.now,
    idColumn: sql`${appointments.id}`,
    rows: (conditions, limit) =>
      ctx.db
        .select()
        .from(appointments)
        .where(where([inFacility, ...conditions]))
        .orderBy(asc(appointments.id))
        .limit(limit),
    countRows: async (conditions) => {
      const [r] = await ctx.db
        .select({ n: sql<number>`count(*)::int` })
        .from(appointments)
        .where(where([inFacility, ...conditions]));
      return Number(r?.n ?? 0);
    },
    resources: async (rows) => {
      const names = await practitionersOf(ctx, rows);
      return rows.map((r) => toFhirAppointment(r, names.get(r.practitionerId) ?? null));
    },
  });
  await auditFhirSearch(ctx, 'Appointment', search, resources, patientOf, {
    nextPage: cursor,
    patientParams: ['patient'],
  });
  return bundle;
}
