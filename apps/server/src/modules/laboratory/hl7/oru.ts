import type { AckError, Hl7ErrorCondition, Hl7ErrorLocation } from './ack';
import {
  type Hl7DateTime,
  type Hl7Delimiters,
  type Hl7Message,
  type Hl7Segment,
  type MessageHeader,
  parseHl7DateTime,
  rawComponent,
  rawRepetitions,
  rawSubcomponent,
  readHl7Message,
  readMessageHeader,
  readMessageHeaderOnly,
  readText,
  unescapeHl7,
} from './hl7-message';

export type { Hl7DateTime } from './hl7-message';

/**
 * Where an analyzer puts the laboratory's accession number (the specimen barcode the LIS printed):
 * - `OBR-3` filler order number, component 1 (default): the lab is the filler, and most LIS/analyzer interfaces
 *   and the LRI profile carry the accession there;
 * - `OBR-2` placer order number, component 1: analyzers that echo the host query's order number;
 * - `SPM-2` specimen id (v2.5+): the filler-assigned identifier (SPM-2.2.1), else the placer-assigned one
 *   (SPM-2.1.1), of the SPM in the same order group.
 */
export const accessionSources = ['OBR-3', 'OBR-2', 'SPM-2'] as const;
export type AccessionSource = (typeof accessionSources)[number];

export type OruReadOptions = {
  accessionSource?: AccessionSource;
  /** MSH-11.1 values accepted; others are rejected with AR 202 (T is training, D debugging). */
  acceptedProcessingIds?: readonly string[];
  /** MSH-12.1 values accepted; others are rejected with AR 203. */
  acceptedVersions?: readonly string[];
};

export const defaultOruReadOptions = {
  accessionSource: 'OBR-3',
  acceptedProcessingIds: ['P'],
  acceptedVersions: ['2.3', '2.3.1', '2.4', '2.5', '2.5.1', '2.6', '2.7', '2.7.1', '2.8', '2.8.1', '2.8.2'],
} as const satisfies Required<OruReadOptions>;

/** CE/CWE/CNE, first triplet: identifier, text, name of coding system (LN for LOINC, 99xxx for local codes). */
export type CodedElement = { code: string; text: string; system: string };

/** HL7 table 0085, observation result status (OBX-11). */
export const observationResultStatuses = [
  'C',
  'D',
  'F',
  'I',
  'N',
  'O',
  'P',
  'R',
  'S',
  'U',
  'W',
  'X',
] as const;
export type ObservationResultStatus = (typeof observationResultStatuses)[number];

export type ObservationValue =
  | { type: 'NM'; number: number; text: string }
  /** SN: `<^0.5`, `^1^:^128` (ratio), `^10^-^20` (range), `>^100`. */
  | {
      type: 'SN';
      comparator: string;
      number1: number | null;
      separator: string;
      number2: number | null;
      text: string;
    }
  | { type: 'ST' | 'TX' | 'FT'; text: string }
  | { type: 'CE' | 'CWE' | 'CNE'; coded: CodedElement; text: string }
  /** Any other value type (DT, TS, ED...), as unescaped text. */
  | { type: 'other'; valueType: string; text: string };

export type OruObservation = {
  /** OBX-1 */
  setId: string;
  /** OBX-2 */
  valueType: string;
  /** OBX-3: the test, in LOINC (LN) or the analyzer's own code system. */
  identifier: CodedElement;
  /** OBX-4 */
  subId: string;
  /** OBX-5; null when empty (a result still in progress, or one that cannot be obtained). */
  value: ObservationValue | null;
  /** OBX-6, e.g. `10*6/uL^million per microliter^UCUM`. */
  units: CodedElement | null;
  /** OBX-7 as sent, e.g. `4.3 to 6.2` or `13-18`. */
  referenceRange: string;
  /** OBX-8 (L, H, LL, HH, N, A...), repeating from v2.5. */
  abnormalFlags: string[];
  /** OBX-11 */
  resultStatus: ObservationResultStatus;
  /** OBX-14 */
  observationDateTime: Hl7DateTime | null;
  /** OBX-19, date/time of the analysis (v2.5+). */
  analysisDateTime: Hl7DateTime | null;
  /** OBX-15.1, the producer's id. */
  producerId: string;
  /** OBX-16.1, the responsible observer's id. */
  responsibleObserverId: string;
  /** OBX-18 entity identifiers: the analyzer that produced the value (instrument id, serial). */
  equipment: string[];
  /** NTE segments following this OBX. */
  comments: string[];
};

export type OruOrder = {
  /** OBR-1 */
  setId: string;
  /** 1-based position of this OBR among the message's OBRs, for an ERR-2 location (`OBR^n^3`). */
  obrSequence: number;
  accessionNumber: string;
  /** OBR-2.1 */
  placerOrderNumber: string;
  /** OBR-3.1 */
  fillerOrderNumber: string;
  /** OBR-4: the ordered panel or test. */
  universalServiceId: CodedElement;
  /** OBR-7: specimen collection time. */
  observationDateTime: Hl7DateTime | null;
  /** OBR-25 */
  resultStatus: string;
  /** SPM-2 of this order group (filler-assigned, else placer-assigned), or ''. */
  specimenId: string;
  /** NTE segments following the OBR. */
  comments: string[];
  observations: OruObservation[];
};

export type PatientIdentifier = { id: string; assigningAuthority: string; type: string };

/** An ORU^R01 laboratory result message, read and checked. */
export type OruMessage = {
  /** MSH-10 */
  controlId: string;
  /** MSH-3 (HD namespace id, else universal id) */
  sendingApplication: string;
  /** MSH-4 */
  sendingFacility: string;
  receivingApplication: string;
  receivingFacility: string;
  /** MSH-7 */
  messageDateTime: Hl7DateTime | null;
  /** MSH-11.1: P production, T training, D debugging. */
  processingId: string;
  /** MSH-12.1 */
  version: string;
  /** PID-3 repetitions, for a cross-check against the accession's patient. */
  patientIdentifiers: PatientIdentifier[];
  orders: OruOrder[];
};

/** A reason a message is not accepted; `ackCode` AR means it cannot be processed at all, AE a content error. */
export type OruIssue = AckError & { ackCode: 'AR' | 'AE' };

export type OruReadResult =
  | { ok: true; message: OruMessage; header: MessageHeader }
  /** `header` is null when not even the MSH could be read: there is no one to acknowledge. */
  | { ok: false; ackCode: 'AR' | 'AE'; issues: OruIssue[]; header: MessageHeader | null };

/** Reads and checks an ORU^R01 result message; returns the reasons rather than throwing. */
export function readOruMessage(text: string, options: OruReadOptions = {}): OruReadResult {
  const opts = { ...defaultOruReadOptions, ...options };
  const parsed = readHl7Message(text);
  if (!parsed.ok) {
    // A later segment may be broken while the MSH is fine: then the sender still gets its AR.
    const header = readMessageHeaderOnly(text);
    const issue: OruIssue = { ackCode: 'AR', condition: '100', text: parsed.reason };
    return { ok: false, ackCode: 'AR', issues: [issue], header };
  }
  const message = parsed.message;
  const header = readMessageHeader(message);
  const msh = message.segments[0]!;

  const rejection = checkHeader(header, msh, opts);
  if (rejection) return { ok: false, ackCode: 'AR', issues: [rejection], header };

  const issues: OruIssue[] = [];
  const oru = readContent(message, header, opts.accessionSource, issues);
  if (issues.length > 0) {
    const ackCode = issues.some((i) => i.ackCode === 'AR') ? 'AR' : 'AE';
    return { ok: false, ackCode, issues, header };
  }
  return { ok: true, message: oru, header };
}

function checkHeader(
  header: MessageHeader,
  msh: Hl7Segment,
  opts: Required<OruReadOptions>,
): OruIssue | null {
  const at = (field: number, component?: number): Hl7ErrorLocation => ({
    segment: 'MSH',
    sequence: msh.sequence,
    field,
    ...(component ? { component } : {}),
  });
  const reject = (condition: Hl7ErrorCondition, text: string, location: Hl7ErrorLocation): OruIssue => ({
    ackCode: 'AR',
    condition,
    text,
    location,
  });
  if (!header.controlId) return reject('101', 'MSH-10 (message control id) is missing', at(10));
  if (header.messageType !== 'ORU') {
    return reject(
      '200',
      `Message type ${header.messageType || '(empty)'} is not accepted: only ORU^R01`,
      at(9, 1),
    );
  }
  if (header.triggerEvent !== 'R01') {
    return reject('201', `Event ${header.triggerEvent || '(empty)'} is not accepted: only ORU^R01`, at(9, 2));
  }
  if (!opts.acceptedProcessingIds.includes(header.processingId)) {
    return reject(
      '202',
      `Processing id ${header.processingId || '(empty)'} is not accepted here (accepted: ${opts.acceptedProcessingIds.join(', ')})`,
      at(11),
    );
  }
  if (!opts.acceptedVersions.includes(header.version)) {
    return reject('203', `HL7 version ${header.version || '(empty)'} is not supported`, at(12));
  }
  return null;
}

function readContent(
  message: Hl7Message,
  header: MessageHeader,
  accessionSource: AccessionSource,
  issues: OruIssue[],
): OruMessage {
  const d = message.delimiters;
  const msh = message.segments[0]!;
  const error = (condition: Hl7ErrorCondition, text: string, location: Hl7ErrorLocation) =>
    issues.push({ ackCode: 'AE', condition, text, location });
  const dateTime = (segment: Hl7Segment, field: number): Hl7DateTime | null => {
    const raw = readText(segment, d, field);
    if (!raw) return null;
    const parsed = parseHl7DateTime(raw);
    if (!parsed) {
      error('102', `${segment.name}-${field} "${raw}" is not an HL7 date/time`, at(segment, field));
    }
    return parsed;
  };

  const orders: OruOrder[] = [];
  const patientIdentifiers: PatientIdentifier[] = [];
  let order: OruOrder | null = null;
  let orderSegment: Hl7Segment | null = null;
  let observation: OruObservation | null = null;
  let inSpecimen = false;

  const finishOrder = () => {
    if (order && orderSegment) {
      order.accessionNumber = accessionOf(order, accessionSource);
      if (!order.accessionNumber) {
        const location =
          accessionSource === 'SPM-2'
            ? at(orderSegment)
            : at(orderSegment, accessionSource === 'OBR-2' ? 2 : 3, 1);
        error(
          '101',
          `OBR ${order.setId || orderSegment.sequence}: no accession number in ${accessionSource}`,
          location,
        );
      }
    }
  };

  for (const segment of message.segments.slice(1)) {
    switch (segment.name) {
      case 'PID':
        for (const repetition of rawRepetitions(segment, 3, d)) {
          const id = unescapeHl7(rawComponent(repetition, 1, d), d);
          if (!id) continue;
          patientIdentifiers.push({
            id,
            assigningAuthority: unescapeHl7(rawSubcomponent(rawComponent(repetition, 4, d), 1, d), d),
            type: unescapeHl7(rawComponent(repetition, 5, d), d),
          });
        }
        break;
      case 'OBR': {
        finishOrder();
        inSpecimen = false;
        observation = null;
        orderSegment = segment;
        order = {
          setId: readText(segment, d, 1),
          obrSequence: segment.sequence,
          accessionNumber: '',
          placerOrderNumber: readText(segment, d, 2, 1).trim(),
          fillerOrderNumber: readText(segment, d, 3, 1).trim(),
          universalServiceId: coded(segment, d, 4),
          observationDateTime: dateTime(segment, 7),
          resultStatus: readText(segment, d, 25),
          specimenId: '',
          comments: [],
          observations: [],
        };
        if (!order.universalServiceId.code && !order.universalServiceId.text) {
          error(
            '101',
            `OBR ${order.setId || segment.sequence}: OBR-4 (universal service id) is missing`,
            at(segment, 4),
          );
        }
        orders.push(order);
        break;
      }
      case 'SPM':
        if (!order) {
          error('100', 'SPM before any OBR', at(segment));
          break;
        }
        inSpecimen = true;
        observation = null;
        if (!order.specimenId) {
          order.specimenId = (readText(segment, d, 2, 2, 1) || readText(segment, d, 2, 1, 1)).trim();
        }
        break;
      case 'OBX': {
        if (!order) {
          error('100', 'OBX before any OBR', at(segment));
          break;
        }
        // OBX after an SPM observe the specimen (e.g. its volume), not the ordered test: not results.
        if (inSpecimen) break;
        observation = readObservation(segment, d, error, dateTime);
        order.observations.push(observation);
        break;
      }
      case 'NTE': {
        const comment = rawRepetitions(segment, 3, d)
          .map((r) => unescapeHl7(r, d))
          .join('\n');
        if (observation) observation.comments.push(comment);
        else if (order && !inSpecimen) order.comments.push(comment);
        break;
      }
      default:
        // PV1, ORC, TQ1, CTI, Z-segments...: not needed to file a result.
        break;
    }
  }
  finishOrder();
  if (orders.length === 0)
    error('101', 'The message has no OBR (order) segment', { segment: 'OBR', sequence: 1 });

  return {
    controlId: header.controlId,
    sendingApplication: header.sendingApplication,
    sendingFacility: header.sendingFacility,
    receivingApplication: header.receivingApplication,
    receivingFacility: header.receivingFacility,
    messageDateTime: dateTime(msh, 7),
    processingId: header.processingId,
    version: header.version,
    patientIdentifiers,
    orders,
  };
}

function accessionOf(order: OruOrder, source: AccessionSource): string {
  switch (source) {
    case 'OBR-2':
      return order.placerOrderNumber;
    case 'SPM-2':
      return order.specimenId;
    default:
      return order.fillerOrderNumber;
  }
}

type ReportError = (condition: Hl7ErrorCondition, text: string, location: Hl7ErrorLocation) => void;

function readObservation(
  segment: Hl7Segment,
  d: Hl7Delimiters,
  error: ReportError,
  dateTime: (segment: Hl7Segment, field: number) => Hl7DateTime | null,
): OruObservation {
  const setId = readText(segment, d, 1);
  const label = `OBX ${setId || segment.sequence}`;
  const valueType = readText(segment, d, 2).trim().toUpperCase();
  const identifier = coded(segment, d, 3);
  if (!identifier.code)
    error('101', `${label}: OBX-3 (observation identifier) is missing`, at(segment, 3, 1));

  const status = readText(segment, d, 11).trim().toUpperCase();
  if (!status) {
    error('101', `${label}: OBX-11 (result status) is missing`, at(segment, 11));
  } else if (!(observationResultStatuses as readonly string[]).includes(status)) {
    error('103', `${label}: OBX-11 result status "${status}" is not in HL7 table 0085`, at(segment, 11));
  }

  const unitsValue = coded(segment, d, 6);
  return {
    setId,
    valueType,
    identifier,
    subId: readText(segment, d, 4),
    value: readValue(segment, d, valueType, label, error),
    units: unitsValue.code || unitsValue.text ? unitsValue : null,
    referenceRange: readText(segment, d, 7),
    abnormalFlags: rawRepetitions(segment, 8, d)
      .map((r) => unescapeHl7(rawComponent(r, 1, d), d).trim())
      .filter(Boolean),
    resultStatus: status as ObservationResultStatus,
    observationDateTime: dateTime(segment, 14),
    analysisDateTime: dateTime(segment, 19),
    producerId: readText(segment, d, 15),
    responsibleObserverId: readText(segment, d, 16),
    equipment: rawRepetitions(segment, 18, d)
      .map((r) => unescapeHl7(rawComponent(r, 1, d), d))
      .filter(Boolean),
    comments: [],
  };
}

// HL7 NM: an optional sign, digits and an optional decimal point; no exponent, no thousands separator.
const nm = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

function readValue(
  segment: Hl7Segment,
  d: Hl7Delimiters,
  valueType: string,
  label: string,
  error: ReportError,
): ObservationValue | null {
  const repetitions = rawRepetitions(segment, 5, d);
  if (repetitions.length === 0 || repetitions.every((r) => r === '')) return null;
  if (!valueType) {
    error('101', `${label}: OBX-2 (value type) is missing while OBX-5 has a value`, at(segment, 2));
    return null;
  }
  const first = repetitions[0]!;
  const whole = unescapeHl7(first, d);
  switch (valueType) {
    case 'NM': {
      const text = whole.trim();
      if (repetitions.length > 1 || !nm.test(text)) {
        error('102', `${label}: OBX-5 "${truncate(text)}" is not a number (value type NM)`, at(segment, 5));
        return null;
      }
      return { type: 'NM', number: Number(text), text };
    }
    case 'SN': {
      const part = (c: number) => unescapeHl7(rawComponent(first, c, d), d).trim();
      const [comparator, n1, separator, n2] = [part(1), part(2), part(3), part(4)];
      const number = (s: string) => (s === '' ? null : nm.test(s) ? Number(s) : Number.NaN);
      const number1 = number(n1);
      const number2 = number(n2);
      const comparatorOk = ['', '>', '<', '>=', '<=', '=', '<>'].includes(comparator);
      const separatorOk = ['', '-', '+', '/', '.', ':'].includes(separator);
      if (
        Number.isNaN(number1) ||
        Number.isNaN(number2) ||
        (number1 === null && number2 === null) ||
        !comparatorOk ||
        !separatorOk
      ) {
        error('102', `${label}: OBX-5 "${truncate(whole)}" is not a structured numeric (SN)`, at(segment, 5));
        return null;
      }
      const text = `${comparator}${n1}${separator}${n2}`;
      return { type: 'SN', comparator, number1, separator, number2, text };
    }
    case 'ST':
    case 'TX':
    case 'FT':
      return { type: valueType, text: repetitions.map((r) => unescapeHl7(r, d)).join('\n') };
    case 'CE':
    case 'CWE':
    case 'CNE': {
      const value = codedFrom(first, d);
      return { type: valueType, coded: value, text: value.text || value.code };
    }
    default:
      return { type: 'other', valueType, text: repetitions.map((r) => unescapeHl7(r, d)).join('\n') };
  }
}

function coded(segment: Hl7Segment, d: Hl7Delimiters, field: number): CodedElement {
  return codedFrom(rawRepetitions(segment, field, d)[0] ?? '', d);
}

function codedFrom(repetition: string, d: Hl7Delimiters): CodedElement {
  const part = (c: number) => unescapeHl7(rawComponent(repetition, c, d), d).trim();
  return { code: part(1), text: part(2), system: part(3) };
}

function at(segment: Hl7Segment, field?: number, component?: number): Hl7ErrorLocation {
  return {
    segment: segment.name,
    sequence: segment.sequence,
    ...(field ? { field } : {}),
    ...(component ? { component } : {}),
  };
}

function truncate(text: string): string {
  return text.length <= 40 ? text : `${text.slice(0, 37)}...`;
}
