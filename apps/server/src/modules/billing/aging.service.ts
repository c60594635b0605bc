import type { AgingQuery, PatientDuesReport, PayerAgingReport } from '@newhms/contracts';
import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import { recordAudit } from '../../platform/audit/audit.service';
import type { Ctx } from '../../platform/context';
import { rowsOf } from '../../platform/db/raw-rows';
import { readPatientSummaries } from '../patients';
import { addAging, bucketAmounts, emptyAging } from './aging-buckets';
import { claims, invoices, payers } from './billing.tables';
import { facilityToday, requireFacility } from './insurance-records';

// Receivables by age: what payers owe on open claims (from the day the claim was submitted) and what
// patients owe on final bills (from the day the bill was issued), both in the facility's calendar.

/** Patients listed on the dues report, the largest dues first; the totals cover everyone. */
const MAX_PATIENTS = 500;

export async function payerAging(ctx: Ctx, query: z.output<typeof AgingQuery>): Promise<PayerAgingReport> {
  const facilityId = requireFacility(ctx);
  const { timeZone, today } = await facilityToday(ctx.db, facilityId, ctx.now);
  const asOf = query.asOf ?? today;
  const outstanding = sql`${claims.claimedAmount} - ${claims.settledAmount} - ${claims.tds} - ${claims.disallowed} - ${claims.writtenOff}`;
  const submittedOn = sql`(${claims.submittedAt} at time zone ${timeZone})::date`;
  const rows = await rowsOf<{
    payer_id: string;
    code: string;
    name: string;
    kind: string;
    age_days: number | string;
    amount: number | string;
    claims: number | string;
  }>(
    ctx.db,
    sql`select ${payers.id} as payer_id, ${payers.code} as code, ${payers.name} as name, ${payers.kind} as kind,
               (${asOf}::date - ${submittedOn}) as age_days, sum(${outstanding}) as amount, count(*) as claims
          from ${claims} join ${payers} on ${payers.id} = ${claims.payerId}
         where ${claims.facilityId} = ${facilityId}
           and ${claims.status} not in ('cancelled', 'closed')
           and ${outstanding} > 0
           and ${submittedOn} <= ${asOf}::date
         group by 1, 2, 3, 4, 5`,
  );
  const byPayer = new Map<string, PayerAgingReport['payers'][number]>();
  for (const r of rows) {
    let p = byPayer.get(r.payer_id);
    if (!p) {
      p = {
        payerId: r.payer_id,
        payerCode: r.code,
        payerName: r.name,
        payerKind: r.kind as PayerAgingReport['payers'][number]['payerKind'],
        openClaims: 0,
        amounts: emptyAging(),
      };
      byPayer.set(r.payer_id, p);
    }
    p.openClaims += Number(r.claims);
    addAging(p.amounts, bucketAmounts([{ ageDays: Number(r.age_days), amount: Number(r.amount) }]));
  }
  const list = [...byPayer.values()].sort(
    (a, b) => b.amounts.total - a.amounts.total || a.payerName.localeCompare(b.payerName),
  );
  const totals = list.reduce((t, p) => addAging(t, p.amounts), emptyAging());
  await recordAudit(ctx.db, ctx, {
    action: 'report',
    resourceType: 'PayerAging',
    detail: { asOf, payers: list.length },
  });
  return { asOf, currency: 'INR', payers: list, totals };
}

export async function patientDues(ctx: Ctx, query: z.output<typeof AgingQuery>): Promise<PatientDuesReport> {
  const facilityId = requireFacility(ctx);
  const { timeZone, today } = await facilityToday(ctx.db, facilityId, ctx.now);
  const asOf = query.asOf ?? today;
  const due = sql`${invoices.patientShare} - ${invoices.paid}`;
  const issuedOn = sql`(${invoices.issuedAt} at time zone ${timeZone})::date`;
  const rows = await rowsOf<{
    patient_id: string;
    age_days: number | string;
    amount: number | string;
    invoices: number | string;
  }>(
    ctx.db,
    sql`select ${invoices.patientId} as patient_id, (${asOf}::date - ${issuedOn}) as age_days,
               sum(${due}) as amount, count(*) as invoices
          from ${invoices}
         where ${invoices.facilityId} = ${facilityId}
           and ${invoices.status} = 'final'
           and ${invoices.kind} in ('opd', 'ipd-final')
           and ${due} > 0
           and ${invoices.issuedAt} is not null
           and ${issuedOn} <= ${asOf}::date
         group by 1, 2`,
  );
  const byPatient = new Map<
    string,
    { patientId: string; openInvoices: number; amounts: ReturnType<typeof emptyAging> }
  >();
  for (const r of rows) {
    let p = byPatient.get(r.patient_id);
    if (!p) {
      p = { patientId: r.patient_id, openInvoices: 0, amounts: emptyAging() };
      byPatient.set(r.patient_id, p);
    }
    p.openInvoices += Number(r.invoices);
    addAging(p.amounts, bucketAmounts([{ ageDays: Number(r.age_days), amount: Number(r.amount) }]));
  }
  const all = [...byPatient.values()].sort((a, b) => b.amounts.total - a.amounts.total);
  const totals = all.reduce((t, p) => addAging(t, p.amounts), emptyAging());
  const shown = all.slice(0, MAX_PATIENTS);
  await recordAudit(ctx.db, ctx, {
    action: 'report',
    resourceType: 'PatientDues',
    detail: { asOf, patients: all.length },
  });
  const summaries = await readPatientSummaries(
    ctx.db,
    ctx,
    shown.map((p) => p.patientId),
    'patient dues report',
  );
  return {
    asOf,
    currency: 'INR',
    patients: shown.map((p) => ({ ...p, patient: summaries.get(p.patientId) ?? null })),
    totals,
  };
}
