import { createRequire } from 'node:module';
import type { AxeResults } from 'axe-core';
import type { Page, Request } from 'playwright-core';
import { expect } from 'vitest';
import {
  type ApiSession,
  apiSignIn,
  createStaffMember,
  type RegisteredPatient,
  registerPatient,
} from './api';
import { signIn, visible } from './app';
import { openApp } from './browser';
import { type Clinic, createClinic, createDoctor, type Doctor } from './opd';
import type { Suite } from './suite';

// The axe-core that @axe-core/playwright itself would inject (the same version, so the same rules).
const requireHere = createRequire(import.meta.url);
const axeSource = (
  createRequire(requireHere.resolve('@axe-core/playwright'))('axe-core') as { source: string }
).source;

export type Finding = { page: string; id: string; impact: string; help: string; targets: string[] };

/**
 * Runs every axe-core rule on the page as it is now and returns the violations.
 *
 * Equivalent to `new AxeBuilder({ page }).analyze()` for what we check (the same rules on the whole document and
 * its frames) but about 5x faster: AxeBuilder injects axe-core's 500 kB again at each call and, in its default
 * mode, opens and closes a second page to merge the results. Here axe is injected once per document (a page
 * loaded by client-side navigation keeps it) and runs in place; only the violations are reported in full,
 * the passes are not serialized node by node.
 */
export async function audit(page: Page, name: string): Promise<Finding[]> {
  for (const frame of page.frames()) {
    if (frame.isDetached()) continue;
    const loaded = await frame.evaluate('typeof window.axe?.run === "function"').catch(() => true);
    if (!loaded) await frame.evaluate(axeSource).catch(() => undefined);
  }
  const results = (await page.evaluate(
    'window.axe.run(document, { resultTypes: ["violations"] })',
  )) as AxeResults;
  return results.violations.map((v) => ({
    page: name,
    id: v.id,
    impact: v.impact ?? 'unknown',
    help: v.help,
    targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
  }));
}

/** The pass rule of the accessibility stories: no critical or serious violation; the rest is only reported. */
export function expectNoSeriousFindings(findings: Finding[]): void {
  const serious = findings.filter((f) => f.impact === 'serious');
  if (serious.length > 0) console.warn('serious axe findings:', JSON.stringify(serious, null, 2));
  const moderate = findings.filter((f) => f.impact !== 'serious' && f.impact !== 'critical');
  if (moderate.length > 0) console.info('other axe findings:', JSON.stringify(moderate, null, 2));
  expect(findings.filter((f) => f.impact === 'critical')).toEqual([]);
  expect(serious).toEqual([]);
}

const watched = new WeakMap<Page, Set<Request>>();

/** Keeps count of the page's API calls in flight, for settled(); call it right after opening the page. */
export function watchRequests(page: Page): void {
  const pending = new Set<Request>();
  page.on('request', (r) => {
    // An EventSource (the bed board's live feed) stays open: it is not a request the page waits on.
    if (r.resourceType() === 'fetch' || r.resourceType() === 'xhr') pending.add(r);
  });
  // Answered is enough: a body the app does not read (a 401 it only checks the status of) never "finishes".
  page.on('response', (r) => pending.delete(r.request()));
  page.on('requestfailed', (r) => pending.delete(r));
  watched.set(page, pending);
}

/**
 * Waits until the page has had no API call in flight for a moment (150 ms) and shows no loading bar: its data is
 * in and drawn. Instead of Playwright's 'networkidle' (500 ms without any request, each time) behind a silent
 * catch, which let a half-loaded page through after 30 s: this fails, naming the calls still in flight.
 */
export async function settled(page: Page, timeoutMs = 15_000): Promise<void> {
  const pending = watched.get(page);
  if (!pending) throw new Error('settled() needs watchRequests(page) first');
  const quietMs = 150;
  const deadline = Date.now() + timeoutMs;
  let quietSince = Date.now();
  for (;;) {
    if (pending.size > 0) quietSince = Date.now();
    else if (Date.now() - quietSince >= quietMs) break;
    if (Date.now() > deadline) {
      throw new Error(`still loading after ${timeoutMs} ms: ${[...pending].map((r) => r.url()).join(', ')}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  await page.getByRole('progressbar').first().waitFor({ state: 'detached', timeout: timeoutMs });
}

// What several accessibility files set up through the API before they look at the screens.

/** Asha Kulkarni, the front desk's patient of the accessibility stories. */
export function registerAsha(admin: ApiSession): Promise<RegisteredPatient> {
  return registerPatient(admin, {
    name: { given: 'Asha', family: 'Kulkarni' },
    sex: 'female',
    birth: { birthDate: '1979-02-03' },
    phones: [{ number: '9822012345' }],
    address: { locality: 'Kothrud' },
  });
}

/** Dr. Axe Bhatt (a staff user with a practitioner profile) holding sessions today in Room A, board AXE-A. */
export async function createAxeDoctor(admin: ApiSession): Promise<{ clinic: Clinic; doctor: Doctor }> {
  const doctorUser = await createStaffMember(admin, {
    email: 'dr.axe@example.org',
    password: 'Doctor-Axe-2026!',
    displayName: 'Dr. Axe',
    role: 'doctor',
  });
  const clinic = await createClinic(admin, { departmentCode: 'AXE', roomName: 'Room A', boardCode: 'AXE-A' });
  const doctor = await createDoctor(admin, clinic, {
    userId: doctorUser.id,
    displayName: 'Dr. Axe Bhatt',
    dates: [clinic.today],
  });
  return { clinic, doctor };
}

/** The Axe Ward (public board AXE-BEDS) with beds AXE-01..03, and the patient admitted to AXE-01 by the doctor. */
export async function admitToAxeWard(
  admin: ApiSession,
  patient: RegisteredPatient,
  doctor: Doctor,
): Promise<{ wardId: string; stayId: string }> {
  const category = await admin.call<{ id: string }>('POST', '/ipd/bed-categories', {
    code: 'AXE-GEN',
    name: 'General',
    tariffClass: 'general',
  });
  const ward = await admin.call<{ id: string }>('POST', '/ipd/wards', {
    code: 'AXE-W',
    name: 'Axe Ward',
    kind: 'general',
    displayCode: 'AXE-BEDS',
  });
  const wardRoom = await admin.call<{ id: string }>('POST', '/ipd/rooms', {
    wardId: ward.id,
    code: 'R1',
    name: 'Room 1',
  });
  const beds: { id: string }[] = [];
  for (const code of ['AXE-01', 'AXE-02', 'AXE-03']) {
    beds.push(await admin.call('POST', '/ipd/beds', { roomId: wardRoom.id, categoryId: category.id, code }));
  }
  const stay = await admin.call<{ id: string }>('POST', '/ipd/admissions', {
    patientId: patient.id,
    source: 'direct',
    bedId: beds[0]?.id,
    admittingPractitionerId: doctor.practitionerId,
    attendingPractitionerId: doctor.practitionerId,
    reason: 'Uncontrolled hypertension',
    payerCategory: 'cash',
  });
  return { wardId: ward.id, stayId: stay.id };
}

/** The patient checked in to the doctor's queue (a token, a visit), and a consultation with her vitals. */
export async function checkInWithVitals(
  admin: ApiSession,
  patient: RegisteredPatient,
  doctor: Doctor,
): Promise<{ encounterId: string }> {
  await admin.call('POST', '/opd/queue/check-in', {
    patientId: patient.id,
    practitionerId: doctor.practitionerId,
    priorities: ['disabled'],
  });
  const encounter = await admin.call<{ id: string }>('POST', '/encounters', { patientId: patient.id });
  await admin.call('POST', `/encounters/${encounter.id}/vitals`, {
    systolic: 150,
    diastolic: 96,
    heartRate: 82,
    weight: 61,
    height: 158,
  });
  return { encounterId: encounter.id };
}

/** The administrator through the API, for the data a walk through the screens needs. */
export function adminApi(suite: Suite): Promise<ApiSession> {
  return apiSignIn(suite.server.serverUrl, suite.server.adminEmail, suite.server.adminPassword);
}

/** The administrator signed in in the browser on the home page, requests watched (`settled`): a walk's start. */
export async function adminAtHome(suite: Suite) {
  const { context, page } = await openApp(suite.browser, suite.server.baseUrl);
  watchRequests(page);
  await signIn(page, suite.server.adminEmail, suite.server.adminPassword);
  await visible(page.getByRole('heading', { level: 1, name: /Welcome/ }));
  return { context, page, findings: [] as Finding[] };
}
