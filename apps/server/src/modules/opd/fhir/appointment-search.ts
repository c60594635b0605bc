import { type SQL, sql } from 'drizzle-orm';
import type { FhirSearchParam } from '../../../platform/fhir/capability-statement';
import {
  dateParam,
  idParam,
  inList,
  parseToken,
  referencedId,
  referenceParam,
  type SearchParamDef,
  tokenIn,
} from '../../../platform/fhir/fhir-search';
import { appointments } from '../opd.tables';
import { appointmentStatusCodes } from './appointment-resource';

const SP = 'http://hl7.org/fhir/SearchParameter';
const a = appointments;
const statuses = Object.entries(appointmentStatusCodes);

export const appointmentSearchParams: FhirSearchParam[] = [
  {
    name: 'patient',
    type: 'reference',
    definition: `${SP}/Appointment-patient`,
    documentation: 'Patient/<id> or <id>',
  },
  {
    name: 'practitioner',
    type: 'reference',
    definition: `${SP}/Appointment-practitioner`,
    documentation: 'Practitioner/<id> or <id> (the OPD practitioner)',
  },
  {
    name: 'actor',
    type: 'reference',
    definition: `${SP}/Appointment-actor`,
    documentation: 'Patient/<id> or Practitioner/<id> (a bare id matches either)',
  },
  {
    name: 'date',
    type: 'date',
    definition: `${SP}/Appointment-date`,
    documentation:
      'The start. YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm[:ss][zone] with the prefixes eq, ne, lt, le, ' +
      "gt, ge, sa, eb, ap; without a zone, in the facility's time zone",
  },
  {
    name: 'status',
    type: 'token',
    definition: `${SP}/Appointment-status`,
    documentation: `${statuses.map(([, fhir]) => fhir).join(' | ')}; :not`,
  },
];

function actorCondition(v: string): SQL {
  const patient = referencedId(v, 'Patient');
  const practitioner = referencedId(v, 'Practitioner');
  const parts = [
    ...(patient ? [sql`${a.patientId} = ${patient}`] : []),
    ...(practitioner ? [sql`${a.practitionerId} = ${practitioner}`] : []),
  ];
  return parts.length === 0 ? sql`false` : sql`(${sql.join(parts, sql` or `)})`;
}

export function appointmentSearchDefs(c: { timeZone: string; now: Date }): Record<string, SearchParamDef> {
  return {
    _id: idParam(sql`${a.id}`),
    patient: referenceParam(sql`${a.patientId}`, 'Patient'),
    practitioner: referenceParam(sql`${a.practitionerId}`, 'Practitioner'),
    actor: { match: actorCondition },
    date: dateParam(sql`${a.startsAt}`, null, 'date', c.timeZone, c.now),
    status: {
      modifiers: ['not'],
      match: (v) => {
        const codes = tokenIn(
          parseToken(v),
          'http://hl7.org/fhir/appointmentstatus',
          statuses.map(([, fhir]) => fhir),
        );
        return inList(
          sql`${a.status}`,
          statuses.filter(([, fhir]) => codes.includes(fhir)).map(([ours]) => ours),
        );
      },
    },
  };
}
