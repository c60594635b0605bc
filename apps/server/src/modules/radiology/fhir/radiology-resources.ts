import type { RadModality } from '@newhms/contracts';
import type { CodeableConcept, Meta, Reference, Resource } from '../../../platform/fhir/fhir-resources';
import type { OrderRow, ReportRow } from '../rad-records';

// A radiology order as a FHIR R4 ImagingStudy, and its signed report as a DiagnosticReport. Pure: no I/O.

export const LOINC = 'http://loinc.org';
export const DCM = 'http://dicom.nema.org/resources/ontology/DCM';
export const V2_0074 = 'http://terminology.hl7.org/CodeSystem/v2-0074';
export const V2_0203 = 'http://terminology.hl7.org/CodeSystem/v2-0203';
export const DIAGNOSTIC_REPORT_STATUS = 'http://hl7.org/fhir/diagnostic-report-status';
export const IMAGING_STUDY_STATUS = 'http://hl7.org/fhir/imagingstudy-status';
export const PROCEDURE_SYSTEM = 'https://newhms.dev/fhir/CodeSystem/radiology-procedure';
export const ACCESSION_SYSTEM = 'https://newhms.dev/fhir/sid/radiology-accession';
export const DICOM_UID_SYSTEM = 'urn:dicom:uid';
/** LOINC's part code for the radiology document category (as in US Core's DiagnosticReport for notes). */
export const LOINC_RADIOLOGY_CATEGORY = 'LP29684-5';

/**
 * Our modality codes in DICOM's vocabulary (CID 29): plain radiography is XR to us and DX (digital
 * radiography) in DICOM; CR (computed radiography) also reads as ours.
 */
export const dicomModalityOf: Record<RadModality, { code: string; display: string }> = {
  XR: { code: 'DX', display: 'Digital Radiography' },
  CT: { code: 'CT', display: 'Computed Tomography' },
  MR: { code: 'MR', display: 'Magnetic Resonance' },
  US: { code: 'US', display: 'Ultrasound' },
  MG: { code: 'MG', display: 'Mammography' },
  RF: { code: 'RF', display: 'Radio Fluoroscopy' },
};
/** DICOM modality codes that name one of ours (CR and DX are both XR). */
export const ourModalityOfDicom: Record<string, RadModality> = {
  DX: 'XR',
  CR: 'XR',
  CT: 'CT',
  MR: 'MR',
  US: 'US',
  MG: 'MG',
  RF: 'RF',
};

export const radiologyCategory: CodeableConcept = {
  coding: [
    { system: V2_0074, code: 'RAD', display: 'Radiology' },
    { system: LOINC, code: LOINC_RADIOLOGY_CATEGORY, display: 'Radiology' },
  ],
  text: 'Radiology',
};

type Identifier = { type?: CodeableConcept; system: string; value: string };
type Annotation = { text: string; authorString?: string; time?: string };

const accessionIdentifier = (accession: string): Identifier => ({
  type: { coding: [{ system: V2_0203, code: 'ACSN', display: 'Accession ID' }] },
  system: ACCESSION_SYSTEM,
  value: accession,
});

export type FhirImagingStudy = Resource & {
  resourceType: 'ImagingStudy';
  id: string;
  meta: Meta;
  identifier: Identifier[];
  status: 'registered' | 'available';
  modality: { system: string; code: string; display: string }[];
  subject: Reference;
  encounter?: Reference;
  started?: string;
  basedOn?: Reference[];
  referrer?: Reference;
  numberOfInstances?: number;
  procedureCode: CodeableConcept[];
  location?: Reference;
  reasonCode?: CodeableConcept[];
  note?: Annotation[];
  description: string;
};

/** What an ImagingStudy is built from: the order, its procedure's LOINC code, the room it was done in. */
export type ImagingStudySource = {
  order: OrderRow;
  loincCode: string | null;
  roomName: string | null;
};

function procedureCoding(order: OrderRow, loincCode: string | null): CodeableConcept {
  return {
    coding: [
      { system: PROCEDURE_SYSTEM, code: order.procedureCode, display: order.procedureName },
      ...(loincCode ? [{ system: LOINC, code: loincCode }] : []),
    ],
    text: order.procedureName,
  };
}

const describe = (order: OrderRow) =>
  `${order.procedureName}${order.laterality ? ` (${order.laterality})` : ''}`;

/** The study of an order that has started: registered while in progress, available once completed. */
export function toFhirImagingStudy(s: ImagingStudySource): FhirImagingStudy {
  const o = s.order;
  const dcm = dicomModalityOf[o.modality as RadModality];
  return {
    resourceType: 'ImagingStudy',
    id: o.id,
    meta: { versionId: String(o.version), lastUpdated: o.updatedAt.toISOString() },
    identifier: [
      ...(o.studyInstanceUid ? [{ system: DICOM_UID_SYSTEM, value: `urn:oid:${o.studyInstanceUid}` }] : []),
      accessionIdentifier(o.accession),
    ],
    status: o.status === 'completed' ? 'available' : 'registered',
    modality: [{ system: DCM, code: dcm.code, display: dcm.display }],
    subject: { reference: `Patient/${o.patientId}` },
    ...(o.encounterId ? { encounter: { reference: `Encounter/${o.encounterId}` } } : {}),
    ...(o.startedAt ? { started: o.startedAt.toISOString() } : {}),
    ...(o.orderId ? { basedOn: [{ reference: `ServiceRequest/${o.orderId}` }] } : {}),
    ...(o.orderedByName ? { referrer: { display: o.orderedByName } } : {}),
    ...(o.numberOfImages !== null ? { numberOfInstances: o.numberOfImages } : {}),
    procedureCode: [procedureCoding(o, s.loincCode)],
    ...(s.roomName ? { location: { display: s.roomName } } : {}),
    ...(o.clinicalIndication ? { reasonCode: [{ text: o.clinicalIndication }] } : {}),
    ...(o.completionNote ? { note: [{ text: o.completionNote }] } : {}),
    description: describe(o),
  };
}

export type FhirDiagnosticReport = Resource & {
  resourceType: 'DiagnosticReport';
  id: string;
  meta: Meta;
  identifier: Identifier[];
  basedOn?: Reference[];
  status: 'final' | 'appended';
  category: CodeableConcept[];
  code: CodeableConcept;
  subject: Reference;
  encounter?: Reference;
  effectiveDateTime: string;
  issued: string;
  performer?: Reference[];
  resultsInterpreter?: Reference[];
  imagingStudy: Reference[];
  conclusion?: string;
  presentedForm: { contentType: string; language: string; data: string; title: string }[];
};

export type DiagnosticReportSource = {
  report: ReportRow;
  order: OrderRow;
  loincCode: string | null;
  addenda: { text: string; reason: string; addedByName: string; addedAt: Date }[];
};

/** The report's text as one plain document (sections, the critical finding, the signature, the addenda). */
export function reportText(s: DiagnosticReportSource): string {
  const r = s.report;
  const parts = [
    `${describe(s.order)} - accession ${s.order.accession}`,
    s.order.clinicalIndication ? `CLINICAL INDICATION\n${s.order.clinicalIndication}` : '',
    `TECHNIQUE\n${r.technique}`,
    `COMPARISON\n${r.comparison}`,
    `FINDINGS\n${r.findings}`,
    `IMPRESSION\n${r.impression}`,
    r.criticalFinding ? `CRITICAL FINDING (${r.criticalCategory})\n${r.criticalFinding}` : '',
    r.signedByName && r.signedAt ? `Signed by ${r.signedByName} at ${r.signedAt.toISOString()}` : '',
    ...s.addenda.map(
      (a) => `ADDENDUM ${a.addedAt.toISOString()} by ${a.addedByName} (reason: ${a.reason})\n${a.text}`,
    ),
  ];
  return parts.filter(Boolean).join('\n\n');
}

/**
 * A signed report: final, or appended once an addendum was added (FHIR's "appended" is a kind of "amended":
 * content added after the report was final). Drafts are never served.
 */
export function toFhirDiagnosticReport(s: DiagnosticReportSource): FhirDiagnosticReport {
  const { report: r, order: o } = s;
  const signer = r.signedByName ? [{ display: r.signedByName }] : undefined;
  return {
    resourceType: 'DiagnosticReport',
    id: r.id,
    meta: { versionId: String(r.version), lastUpdated: r.updatedAt.toISOString() },
    identifier: [accessionIdentifier(o.accession)],
    ...(o.orderId ? { basedOn: [{ reference: `ServiceRequest/${o.orderId}` }] } : {}),
    status: r.status === 'amended' ? 'appended' : 'final',
    category: [radiologyCategory],
    code: procedureCoding(o, s.loincCode),
    subject: { reference: `Patient/${o.patientId}` },
    ...(o.encounterId ? { encounter: { reference: `Encounter/${o.encounterId}` } } : {}),
    effectiveDateTime: (o.completedAt ?? o.startedAt ?? o.orderedAt).toISOString(),
    issued: (r.signedAt ?? r.updatedAt).toISOString(),
    ...(signer ? { performer: signer, resultsInterpreter: signer } : {}),
    imagingStudy: [{ reference: `ImagingStudy/${o.id}` }],
    ...(r.impression.trim() ? { conclusion: r.impression } : {}),
    presentedForm: [
      {
        contentType: 'text/plain; charset=utf-8',
        language: 'en',
        data: Buffer.from(reportText(s), 'utf8').toString('base64'),
        title: `Radiology report ${o.accession}`,
      },
    ],
  };
}
