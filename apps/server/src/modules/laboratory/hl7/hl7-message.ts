// A strict reader for the HL7 v2 "pipe and hat" encoding (HL7 v2.5 chapter 2.5-2.7): segments, fields,
// repetitions, components, subcomponents and escape sequences, with the delimiters each message declares in
// MSH-1 and MSH-2. It never throws on input: a message it cannot read comes back as a reason.

export type Hl7Delimiters = {
  field: string;
  component: string;
  repetition: string;
  escape: string;
  subcomponent: string;
  /** MSH-2 as received (4 characters, 5 from v2.7 with the truncation character). */
  encodingCharacters: string;
};

export type Hl7Segment = {
  name: string;
  /** 1-based occurrence of this segment name in the message (ERR-2.2 "segment sequence"). */
  sequence: number;
  /** fields[n] is field n, still escaped. For MSH, fields[1] is MSH-1 and fields[2] is MSH-2. */
  fields: string[];
};

export type Hl7Message = { delimiters: Hl7Delimiters; segments: Hl7Segment[] };

export type Hl7ReadResult = { ok: true; message: Hl7Message } | { ok: false; reason: string };

/** The MSH fields an acknowledgement needs, raw (still escaped) where they are echoed back. */
export type MessageHeader = {
  delimiters: Hl7Delimiters;
  sendingApplication: string;
  sendingFacility: string;
  receivingApplication: string;
  receivingFacility: string;
  /** MSH-3..MSH-6 exactly as received, for the swapped sender and receiver of the ACK. */
  raw: { msh3: string; msh4: string; msh5: string; msh6: string };
  messageDateTime: string;
  messageType: string;
  triggerEvent: string;
  messageStructure: string;
  controlId: string;
  processingId: string;
  version: string;
};

const segmentName = /^[A-Z][A-Z0-9]{2}$/;

/** Reads an HL7 v2 message. Segments may end in CR (the standard), LF or CRLF: files and some middleware use LF. */
export function readHl7Message(input: string): Hl7ReadResult {
  const text = input.replace(/^[\uFEFF\s]+/, '');
  if (text.length === 0) return { ok: false, reason: 'The message is empty' };
  if (!text.startsWith('MSH')) return { ok: false, reason: 'The message does not start with an MSH segment' };
  const delimiters = readDelimiters(text);
  if (typeof delimiters === 'string') return { ok: false, reason: delimiters };

  const segments: Hl7Segment[] = [];
  const counts = new Map<string, number>();
  const lines = text.split(/\r\n|\r|\n/);
  for (const [i, line] of lines.entries()) {
    if (line.trim() === '') continue;
    const name = line.slice(0, 3);
    if (!segmentName.test(name) || (line.length > 3 && line[3] !== delimiters.field)) {
      return { ok: false, reason: `Line ${i + 1} is not an HL7 segment` };
    }
    if (name === 'MSH' && segments.length > 0) {
      return { ok: false, reason: `Line ${i + 1} starts a second message (batches are not accepted)` };
    }
    const sequence = (counts.get(name) ?? 0) + 1;
    counts.set(name, sequence);
    const fields =
      name === 'MSH'
        ? ['MSH', delimiters.field, ...line.slice(4).split(delimiters.field)]
        : line.split(delimiters.field);
    segments.push({ name, sequence, fields });
  }
  return { ok: true, message: { delimiters, segments } };
}

function readDelimiters(text: string): Hl7Delimiters | string {
  const field = text[3];
  const invalid = (c: string | undefined) => c === undefined || /[A-Za-z0-9\s]/.test(c);
  if (invalid(field)) return 'MSH-1 (field separator) is missing or invalid';
  const end = text.indexOf(field!, 4);
  const encodingCharacters = end === -1 ? '' : text.slice(4, end);
  const chars = [...encodingCharacters];
  if (
    chars.length < 4 ||
    chars.length > 5 ||
    chars.some(invalid) ||
    chars.includes(field!) ||
    new Set(chars).size !== chars.length
  ) {
    return 'MSH-2 (encoding characters) is missing or invalid';
  }
  const [component, repetition, escapeCharacter, subcomponent] = chars as [string, string, string, string];
  return { field: field!, component, repetition, escape: escapeCharacter, subcomponent, encodingCharacters };
}

/** Field `n` of a segment, raw (escaped, with its repetitions and components). */
export function rawField(segment: Hl7Segment, n: number): string {
  return segment.fields[n] ?? '';
}

/** The repetitions of a field, raw. An empty field has no repetitions. */
export function rawRepetitions(segment: Hl7Segment, n: number, d: Hl7Delimiters): string[] {
  const value = rawField(segment, n);
  if (value === '' || (segment.name === 'MSH' && n <= 2)) return value === '' ? [] : [value];
  return value.split(d.repetition);
}

/** Component `c` (1-based) of a raw field repetition, raw. */
export function rawComponent(repetition: string, c: number, d: Hl7Delimiters): string {
  return repetition.split(d.component)[c - 1] ?? '';
}

/** Subcomponent `s` (1-based) of a raw component, raw. */
export function rawSubcomponent(component: string, s: number, d: Hl7Delimiters): string {
  return component.split(d.subcomponent)[s - 1] ?? '';
}

/** The unescaped text at SEG-field.component.subcomponent of the first repetition. */
export function readText(
  segment: Hl7Segment,
  d: Hl7Delimiters,
  field: number,
  component = 1,
  sub = 1,
): string {
  const repetition = rawRepetitions(segment, field, d)[0] ?? '';
  return unescapeHl7(rawSubcomponent(rawComponent(repetition, component, d), sub, d), d);
}

/** Replaces HL7 escape sequences (\F\ \S\ \T\ \R\ \E\ \Xhh\ \.br\, highlighting dropped) with their text. */
export function unescapeHl7(value: string, d: Hl7Delimiters): string {
  if (!value.includes(d.escape)) return value;
  const e = escapeRegExp(d.escape);
  return value.replace(new RegExp(`${e}([^${e}]*)${e}`, 'g'), (whole, code: string) => {
    switch (code) {
      case 'F':
        return d.field;
      case 'S':
        return d.component;
      case 'T':
        return d.subcomponent;
      case 'R':
        return d.repetition;
      case 'E':
        return d.escape;
      case 'P':
        return d.encodingCharacters[4] ?? whole;
      case '.br':
        return '\n';
      case 'H':
      case 'N':
        return '';
      default:
        if (/^X(?:[0-9A-Fa-f]{2})+$/.test(code)) return Buffer.from(code.slice(1), 'hex').toString('latin1');
        return whole;
    }
  });
}

/** Escapes free text for a field: delimiters become escape sequences, line breaks become spaces. */
export function escapeHl7(value: string, d: Hl7Delimiters): string {
  let out = '';
  for (const ch of value.replace(/[\r\n\t]+/g, ' ')) {
    const code = ch.charCodeAt(0);
    // Other control characters have no place in a field (and <VT>, <FS> would break the MLLP frame).
    if (code < 0x20 || code === 0x7f) continue;
    if (ch === d.escape) out += `${d.escape}E${d.escape}`;
    else if (ch === d.field) out += `${d.escape}F${d.escape}`;
    else if (ch === d.component) out += `${d.escape}S${d.escape}`;
    else if (ch === d.subcomponent) out += `${d.escape}T${d.escape}`;
    else if (ch === d.repetition) out += `${d.escape}R${d.escape}`;
    else if (ch === d.encodingCharacters[4]) out += `${d.escape}P${d.escape}`;
    else out += ch;
  }
  return out;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
}

/** The HD data type's name: the namespace id, or the universal id when a sender only fills that. */
function hierarchicDesignator(segment: Hl7Segment, d: Hl7Delimiters, field: number): string {
  return readText(segment, d, field, 1) || readText(segment, d, field, 2);
}

/** Reads the MSH of a parsed message. */
export function readMessageHeader(message: Hl7Message): MessageHeader {
  const msh = message.segments[0]!;
  const d = message.delimiters;
  return {
    delimiters: d,
    sendingApplication: hierarchicDesignator(msh, d, 3),
    sendingFacility: hierarchicDesignator(msh, d, 4),
    receivingApplication: hierarchicDesignator(msh, d, 5),
    receivingFacility: hierarchicDesignator(msh, d, 6),
    raw: { msh3: rawField(msh, 3), msh4: rawField(msh, 4), msh5: rawField(msh, 5), msh6: rawField(msh, 6) },
    messageDateTime: readText(msh, d, 7),
    messageType: readText(msh, d, 9, 1).trim(),
    triggerEvent: readText(msh, d, 9, 2).trim(),
    messageStructure: readText(msh, d, 9, 3).trim(),
    controlId: readText(msh, d, 10).trim(),
    processingId: readText(msh, d, 11).trim(),
    version: readText(msh, d, 12).trim(),
  };
}

/**
 * Reads only the MSH of a message, from its first segment: enough to acknowledge a message that cannot be read
 * whole (a frame over the size limit, a broken later segment). Null when even the MSH is unreadable.
 */
export function readMessageHeaderOnly(text: string): MessageHeader | null {
  const first = text.replace(/^[\uFEFF\s]+/, '').split(/\r|\n/, 1)[0] ?? '';
  const read = readHl7Message(first);
  return read.ok ? readMessageHeader(read.message) : null;
}

export type Hl7DateTime = {
  /** As received, e.g. `20110103143428-0800`. */
  raw: string;
  /**
   * ISO 8601 at the precision received: `2011`, `2011-01`, `2011-01-03`, `2011-01-03T14:34:28-08:00`. Without a
   * UTC offset in the message the time is the sender's local time and carries no offset.
   */
  iso: string;
};

const dtm = /^(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\.\d{1,4})?([+-]\d{4})?$/;

/** Parses an HL7 DTM/TS value; null when it is not a valid date and time. */
export function parseHl7DateTime(raw: string): Hl7DateTime | null {
  const m = dtm.exec(raw.trim());
  if (!m) return null;
  const [, year, month, day, hour, minute, second, fraction, offset] = m;
  // Each part needs the one before it: "2014..06" is no date.
  if (
    (fraction && !second) ||
    (second && !minute) ||
    (minute && !hour) ||
    (hour && !day) ||
    (day && !month)
  ) {
    return null;
  }
  const y = Number(year);
  if (month && (Number(month) < 1 || Number(month) > 12)) return null;
  if (day) {
    const daysInMonth = new Date(Date.UTC(y, Number(month), 0)).getUTCDate();
    if (Number(day) < 1 || Number(day) > daysInMonth) return null;
  }
  if ((hour && Number(hour) > 23) || (minute && Number(minute) > 59) || (second && Number(second) > 59)) {
    return null;
  }
  if (offset && (Number(offset.slice(1, 3)) > 14 || Number(offset.slice(3, 5)) > 59)) return null;
  let iso = year!;
  if (month) iso += `-${month}`;
  if (day) iso += `-${day}`;
  if (hour) iso += `T${hour}:${minute ?? '00'}`;
  if (second) iso += `:${second}${fraction ?? ''}`;
  if (hour && offset) iso += `${offset.slice(0, 3)}:${offset.slice(3)}`;
  return { raw: raw.trim(), iso };
}
