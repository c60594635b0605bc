import { Hl7Message } from '@medplum/core';
import { describe, expect, it } from 'vitest';
import { buildAck } from './ack';
import { readMessageHeaderOnly } from './hl7-message';
import { hasHl7Samples, readHl7Sample, withField } from './hl7-test-support';
import { readOruMessage } from './oru';

const now = new Date('2026-01-27T10:15:00.000Z');
const testing = { acceptedProcessingIds: ['P', 'T'] } as const;

function headerOf(text: string) {
  const header = readMessageHeaderOnly(text);
  if (!header) throw new Error('no header');
  return header;
}

/** The ACK read back by Medplum's HL7 parser, an implementation independent of ours. */
function parseAck(ack: string) {
  const parsed = Hl7Message.parse(ack);
  return {
    segments: parsed.segments.map((s) => s.name).filter(Boolean),
    field: (segment: string, field: number, component = 1) =>
      parsed.getSegment(segment)?.getComponent(field, component) ?? '',
    all: (segment: string) => parsed.getAllSegments(segment),
  };
}

describe.skipIf(!hasHl7Samples)('acknowledging the real-format samples', () => {
  it('answers AA to LAB-ORU-1, sender and receiver swapped, its control id in MSA-2', () => {
    const read = readOruMessage(readHl7Sample('LAB-ORU-1'), testing);
    expect(read.ok).toBe(true);
    const ack = buildAck({ header: read.header!, code: 'AA', controlId: 'ACK1', now });
    expect(ack).toBe(
      'MSH|^~\\&|TransformationAgent||SomeSystem||20260127101500+0000||ACK^R01^ACK|ACK1|T|2.5\rMSA|AA|182\r',
    );
  });

  it('names us as the sender when the message did not name its receiver (LRI leaves MSH-5 empty)', () => {
    const read = readOruMessage(readHl7Sample('LRI-CBC-ORU'), testing);
    const ack = parseAck(
      buildAck({
        header: read.header!,
        code: 'AA',
        controlId: 'ACK2',
        now,
        receiver: { application: 'NEWHMS', facility: 'CITY HOSPITAL' },
      }),
    );
    expect([ack.field('MSH', 3), ack.field('MSH', 4), ack.field('MSH', 5), ack.field('MSH', 6)]).toEqual([
      'NEWHMS',
      'NIST EHR Facility',
      'NIST Test Lab APP',
      'NIST Lab Facility',
    ]);
    expect([ack.field('MSH', 12), ack.field('MSA', 1), ack.field('MSA', 2)]).toEqual([
      '2.5.1',
      'AA',
      'NIST-LRI-NG-002.00',
    ]);
  });

  it('answers AE with an HL7 2.5 ERR segment for an unparseable value', () => {
    const read = readOruMessage(withField(readHl7Sample('LRI-CBC-ORU'), 'OBX', 5, 'twelve', 2), testing);
    if (read.ok) throw new Error('expected a refusal');
    const ack = buildAck({
      header: read.header!,
      code: read.ackCode,
      errors: read.issues,
      controlId: 'ACK3',
      now,
    });
    expect(ack.split('\r').slice(1)).toEqual([
      'MSA|AE|NIST-LRI-NG-002.00|OBX 2: OBX-5 "twelve" is not a number (value type NM)',
      'ERR||OBX^2^5|102^Data type error^HL70357|E||||OBX 2: OBX-5 "twelve" is not a number (value type NM)',
      '',
    ]);
    const parsed = parseAck(ack);
    expect(parsed.segments).toEqual(['MSH', 'MSA', 'ERR']);
    expect(parsed.field('ERR', 3, 1)).toBe('102');
  });

  it('answers AR to an ADT^A01 with condition 200 and keeps the ACK event empty-safe', () => {
    const read = readOruMessage(withField(readHl7Sample('LAB-ORU-1'), 'MSH', 9, 'ADT^A01'), testing);
    if (read.ok) throw new Error('expected a refusal');
    const ack = parseAck(
      buildAck({ header: read.header!, code: read.ackCode, errors: read.issues, controlId: 'A', now }),
    );
    expect(ack.field('MSH', 9, 1)).toBe('ACK');
    expect(ack.field('MSH', 9, 2)).toBe('A01');
    expect([
      ack.field('MSA', 1),
      ack.field('MSA', 2),
      ack.field('ERR', 3, 1),
      ack.field('ERR', 2, 1),
    ]).toEqual(['AR', '182', '200', 'MSH']);
  });
});

describe('the ACK format', () => {
  const base = 'MSH|^~\\&|ANALYZER|LAB|NEWHMS|HOSP|20260127101500||ORU^R01|MSG0001|P|2.5.1\rOBR|1||ACC-1|X';

  it('escapes delimiters in the reason and cuts MSA-3 to 80 characters', () => {
    const text = `Accession A|B^C&D~E\\F unknown ${'x'.repeat(100)}`;
    const ack = buildAck({
      header: headerOf(base),
      code: 'AE',
      errors: [{ condition: '204', text, location: { segment: 'OBR', sequence: 1, field: 3 } }],
      controlId: 'ACK9',
      now,
    });
    const [, msa, err] = ack.split('\r');
    expect(msa).toMatch(/^MSA\|AE\|MSG0001\|Accession A\\F\\B\\S\\C\\T\\D\\R\\E\\E\\F unknown x+\.\.\.$/);
    expect(msa!.split('|')[3]!.replace(/\\[FSTRE]\\/g, '_')).toHaveLength(80);
    expect(err).toMatch(
      /^ERR\|\|OBR\^1\^3\|204\^Unknown key identifier\^HL70357\|E\|\|\|\|Accession A\\F\\B/,
    );
    // Our ACK stays one segment per line whatever the text: no raw CR, LF or MLLP bytes get through
    const nasty = buildAck({
      header: headerOf(base),
      code: 'AE',
      text: 'a\rb\nc\u000bd\u001ce',
      controlId: 'X',
      now,
    });
    expect(nasty.split('\r')[1]).toBe('MSA|AE|MSG0001|a b cde');
  });

  it('uses the delimiters of the received message', () => {
    const header = headerOf('MSH#*~\\&#ANALYZER#LAB#NEWHMS#HOSP#20260127##ORU*R01#C-9#P#2.5');
    const ack = buildAck({
      header,
      code: 'AE',
      errors: [
        { condition: '102', text: 'bad # value', location: { segment: 'OBX', sequence: 3, field: 5 } },
      ],
      controlId: 'K',
      now,
    });
    expect(ack).toBe(
      [
        'MSH#*~\\&#NEWHMS#HOSP#ANALYZER#LAB#20260127101500+0000##ACK*R01*ACK#K#P#2.5',
        'MSA#AE#C-9#bad \\F\\ value',
        'ERR##OBX*3*5#102*Data type error*HL70357#E####bad \\F\\ value',
        '',
      ].join('\r'),
    );
  });

  it('writes the pre-2.5 ERR-1 (segment^sequence^field^condition) for v2.3.1 and v2.4 senders', () => {
    const header = headerOf(base.replace('|2.5.1', '|2.3.1'));
    const ack = buildAck({
      header,
      code: 'AE',
      errors: [
        { condition: '102', text: 'not a number', location: { segment: 'OBX', sequence: 2, field: 5 } },
      ],
      controlId: 'K',
      now,
    });
    expect(ack.split('\r').slice(1, 3)).toEqual([
      'MSA|AE|MSG0001|not a number',
      'ERR|OBX^2^5^102&Data type error&HL70357',
    ]);
  });

  it('answers a message without control id with an empty MSA-2, and one without version as 2.5', () => {
    const header = headerOf('MSH|^~\\&|ANALYZER|LAB|||||ORU^R01||P|');
    const ack = buildAck({
      header,
      code: 'AR',
      errors: [{ condition: '101', text: 'MSH-10 (message control id) is missing' }],
      controlId: 'K',
      now,
    });
    expect(ack.split('\r').slice(0, 3)).toEqual([
      'MSH|^~\\&|||ANALYZER|LAB|20260127101500+0000||ACK^R01^ACK|K|P|2.5',
      'MSA|AR||MSH-10 (message control id) is missing',
      'ERR|||101^Required field missing^HL70357|E||||MSH-10 (message control id) is missing',
    ]);
  });

  it('writes one ERR per problem, at most 20', () => {
    const errors = Array.from({ length: 25 }, (_, i) => ({
      condition: '102' as const,
      text: `OBX ${i + 1} broken`,
      location: { segment: 'OBX', sequence: i + 1, field: 5 },
    }));
    const ack = parseAck(buildAck({ header: headerOf(base), code: 'AE', errors, controlId: 'K', now }));
    expect(ack.all('ERR')).toHaveLength(20);
    expect(ack.field('MSA', 3)).toBe('OBX 1 broken');
  });
});
