import { escapeHl7, type MessageHeader } from './hl7-message';

export const ackCodes = ['AA', 'AE', 'AR'] as const;
/** MSA-1 in original acknowledgment mode: accepted, application error, application reject. */
export type AckCode = (typeof ackCodes)[number];

/** HL7 table 0357, message error condition codes (ERR-3 from v2.5, ERR-1.4 before). */
export const hl7ErrorConditions = {
  '100': 'Segment sequence error',
  '101': 'Required field missing',
  '102': 'Data type error',
  '103': 'Table value not found',
  '200': 'Unsupported message type',
  '201': 'Unsupported event code',
  '202': 'Unsupported processing id',
  '203': 'Unsupported version id',
  '204': 'Unknown key identifier',
  '205': 'Duplicate key identifier',
  '206': 'Application record locked',
  '207': 'Application internal error',
} as const;
export type Hl7ErrorCondition = keyof typeof hl7ErrorConditions;

/** ERR-2 (ERL): where in the acknowledged message the error is. */
export type Hl7ErrorLocation = { segment: string; sequence: number; field?: number; component?: number };

export type AckError = {
  condition: Hl7ErrorCondition;
  /** The reason in words, for the analyzer operator (ERR-8 from v2.5, MSA-3 for the first one). */
  text: string;
  location?: Hl7ErrorLocation;
  /** ERR-4: E error (default), W warning, I information. */
  severity?: 'E' | 'W' | 'I';
};

export type AckInput = {
  /** The header of the message being acknowledged: its delimiters, sender and control id are echoed. */
  header: MessageHeader;
  code: AckCode;
  /** MSA-3; defaults to the first error's text. */
  text?: string;
  errors?: readonly AckError[];
  /** MSH-10 of the ACK itself. */
  controlId: string;
  now: Date;
  /** Who we are, when the message did not name its receiver in MSH-5/MSH-6. */
  receiver?: { application: string; facility: string };
};

// MSA-3 is an 80-character ST in v2.5; ERR-8 is a TX of 250 characters.
const msaTextLength = 80;
const errTextLength = 250;
const maxErrSegments = 20;

/** Builds an HL7 v2 ACK (original mode) for a received message; segments end with CR. */
export function buildAck(input: AckInput): string {
  const { header, code, errors = [] } = input;
  const d = header.delimiters;
  const f = d.field;
  const c = d.component;
  const esc = (s: string) => escapeHl7(s, d);
  const version = /^2\.\d/.test(header.version) ? header.version : '2.5';
  const modern = compareVersions(version, '2.5') >= 0;

  const messageType = !header.triggerEvent
    ? 'ACK'
    : compareVersions(version, '2.3.1') >= 0
      ? ['ACK', esc(header.triggerEvent), 'ACK'].join(c)
      : ['ACK', esc(header.triggerEvent)].join(c);
  const msh = [
    'MSH',
    d.encodingCharacters,
    header.raw.msh5 || esc(input.receiver?.application ?? ''),
    header.raw.msh6 || esc(input.receiver?.facility ?? ''),
    header.raw.msh3,
    header.raw.msh4,
    formatHl7DateTime(input.now),
    '',
    messageType,
    esc(input.controlId),
    esc(header.processingId || 'P'),
    version,
  ].join(f);

  const text = input.text ?? errors[0]?.text ?? '';
  const msa = ['MSA', code, esc(header.controlId)];
  if (text) msa.push(esc(truncate(text, msaTextLength)));

  const errs = errors.slice(0, maxErrSegments).map((e) => {
    const label = hl7ErrorConditions[e.condition];
    const location = e.location
      ? [
          e.location.segment,
          String(e.location.sequence),
          optional(e.location.field),
          optional(e.location.component),
        ]
      : [];
    if (modern) {
      // v2.5: ERR-1 is deprecated; ERR-2 location, ERR-3 condition (CWE, table 0357), ERR-4 severity, ERR-8 text.
      const err = [
        'ERR',
        '',
        trimEnd(location).join(c),
        [e.condition, label, 'HL70357'].join(c),
        e.severity ?? 'E',
        '',
        '',
        '',
        esc(truncate(e.text, errTextLength)),
      ];
      return err.join(f);
    }
    // Before v2.5 only ERR-1 (ELD): segment^sequence^field^condition, the condition a CE in subcomponents.
    const eld = [...(location.length ? location.slice(0, 3) : ['', '', '']), '']
      .map((v, i) => (i === 3 ? [e.condition, label, 'HL70357'].join(d.subcomponent) : v))
      .join(c);
    return ['ERR', eld].join(f);
  });

  return `${[msh, msa.join(f), ...errs].join('\r')}\r`;
}

/** HL7 DTM in UTC with an explicit offset, e.g. `20260127154502+0000`. */
export function formatHl7DateTime(date: Date): string {
  const iso = date.toISOString();
  return `${iso.slice(0, 19).replace(/[-:T]/g, '')}+0000`;
}

function optional(n: number | undefined): string {
  return n === undefined ? '' : String(n);
}

function trimEnd(values: string[]): string[] {
  const out = [...values];
  while (out.length && out.at(-1) === '') out.pop();
  return out;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 3)}...`;
}

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const diff = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (diff !== 0) return Number.isNaN(diff) ? 0 : diff;
  }
  return 0;
}
