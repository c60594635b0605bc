import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness';
import { systemCtx } from '../../platform/context';
import { charges, invoices } from './billing.tables';
import { financialYearOf } from './invoice-calc';
import { issueInvoice } from './invoices.service';
import { createInvoiceWorld, type InvoiceWorld } from './invoices-test-support';

// Invoice numbers are gapless per facility, series and financial year, also when many bills are issued at
// once and some of those transactions fail after taking their number (they give it back on rollback).

let t: TestApp;
let w: InvoiceWorld;
let fy: string;

beforeAll(async () => {
  t = await createTestApp();
  w = await createInvoiceWorld(t);
  fy = financialYearOf(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Kolkata' }).format(new Date()));
}, 120_000);
afterAll(() => t.close());

const seq = (from: number, to: number, series = 'INV') =>
  Array.from({ length: to - from + 1 }, (_, i) => `${series}/${fy}/${String(from + i).padStart(6, '0')}`);

async function opdAccount(name = 'Consultation') {
  const p = await w.patient();
  const account = await w.account(p.id, 'opd');
  await w.charge(account, { group: 'consultation', unitPrice: 50_000, name });
  return account;
}

describe('invoice numbers', () => {
  it('numbers 30 bills issued at once 1..30, with no gap and no duplicate', async () => {
    const accounts = [];
    for (let i = 0; i < 30; i++) accounts.push(await opdAccount());
    const results = await Promise.all(accounts.map((a) => w.issue(a.id, 'opd')));
    expect(results.map((r) => r.statusCode)).toEqual(accounts.map(() => 201));
    const numbers = results.map((r) => r.json().number as string).sort();
    expect(numbers).toEqual(seq(1, 30));
  }, 120_000);

  it('gives back the number of a transaction that fails after taking it', async () => {
    // A fault only these lines trip, raised while the invoice's lines are inserted (after the number).
    const token = `FAIL-ME-${crypto.randomUUID()}`;
    await t.database.query(`create or replace function billing.test_fail_lines() returns trigger language plpgsql as $$
      begin
        if new.description = '${token}' then
          raise exception 'injected failure' using errcode = 'check_violation';
        end if;
        return new;
      end $$`);
    await t.database.query(`create trigger test_fail_lines before insert on billing.invoice_lines
      for each row execute function billing.test_fail_lines()`);
    try {
      const accounts = [];
      for (let i = 0; i < 12; i++) accounts.push(await opdAccount(i % 3 === 1 ? token : 'Consultation'));
      const results = await Promise.all(accounts.map((a) => w.issue(a.id, 'opd')));
      const failed = accounts.filter((_, i) => results[i]!.statusCode !== 201);
      expect(failed).toHaveLength(4);
      expect(results.filter((r) => r.statusCode !== 201).every((r) => r.statusCode === 422)).toBe(true);
      const numbers = results
        .filter((r) => r.statusCode === 201)
        .map((r) => r.json().number as string)
        .sort();
      expect(numbers).toEqual(seq(31, 38));
      // Nothing of the failed bills remains: no invoice, no charge bound.
      const left = await t.database.db
        .select({ id: invoices.id })
        .from(invoices)
        .where(
          inArray(
            invoices.accountId,
            failed.map((a) => a.id),
          ),
        );
      expect(left).toEqual([]);
      const bound = await t.database.db
        .select({ invoiceId: charges.invoiceId })
        .from(charges)
        .where(
          inArray(
            charges.accountId,
            failed.map((a) => a.id),
          ),
        );
      expect(bound.every((c) => c.invoiceId === null)).toBe(true);
    } finally {
      await t.database.query('drop trigger test_fail_lines on billing.invoice_lines');
      await t.database.query('drop function billing.test_fail_lines()');
    }
    // The next bill continues the series.
    const next = await w.issue((await opdAccount()).id, 'opd');
    expect(next.json().number).toBe(seq(39, 39)[0]);
  }, 120_000);

  it('keeps interim statements in their own series, and final bills in the bills series', async () => {
    const stays = [];
    for (let i = 0; i < 6; i++) {
      const p = await w.patient();
      const account = await w.account(p.id, 'ipd');
      await w.charge(account, { group: 'nursing', unitPrice: 100_000 });
      stays.push(account);
    }
    const interims = await Promise.all(stays.map((a) => w.issue(a.id, 'ipd-interim')));
    expect(interims.map((r) => r.json().number).sort()).toEqual(seq(1, 6, 'IB'));
    const finals = await Promise.all(stays.map((a) => w.issue(a.id, 'ipd-final')));
    expect(finals.map((r) => r.json().number).sort()).toEqual(seq(40, 45));
  }, 120_000);

  it('starts each financial year at 1, by the date in the facility time zone', async () => {
    const env = { events: t.app.deps.events, database: t.database };
    const issueAt = async (instant: string) => {
      const account = await opdAccount();
      const ctx = { ...systemCtx(t.database.db, 'test', w.facilityId), now: new Date(instant) };
      return issueInvoice(ctx, env, account.id, { kind: 'opd' });
    };
    // 2031-03-31 23:00 in Kolkata is still 2030-31; 2031-03-31 19:00 UTC is already 2031-04-01 00:30 there.
    expect((await issueAt('2031-03-31T17:30:00Z')).number).toBe('INV/2030-31/000001');
    expect((await issueAt('2031-03-31T19:00:00Z')).number).toBe('INV/2031-32/000001');
    expect((await issueAt('2031-04-02T10:00:00Z')).number).toBe('INV/2031-32/000002');
    const [row] = await t.database.db
      .select({ fy: invoices.financialYear })
      .from(invoices)
      .where(eq(invoices.number, 'INV/2031-32/000002'));
    expect(row!.fy).toBe('2031-32');
  }, 60_000);
});
