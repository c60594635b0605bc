import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasHl7Samples, readHl7Sample, readHl7SampleFile, withField } from './hl7-test-support';
import { type OruReadResult, readOruMessage } from './oru';

const testing = { acceptedProcessingIds: ['P', 'T'] } as const;

function accepted(result: OruReadResult) {
  if (!result.ok) throw new Error(`expected the message to be accepted: ${JSON.stringify(result.issues)}`);
  return result.message;
}

function refused(result: OruReadResult) {
  if (result.ok) throw new Error('expected the message to be refused');
  return result;
}

const msh = 'MSH|^~\\&|ANALYZER|LAB|NEWHMS|HOSP|20260127101500+0530||ORU^R01|MSG0001|P|2.5.1';
const obr = 'OBR|1|PL-1|ACC-1001|58410-2^CBC panel^LN|||20260127093000+0530||||||||||||||||||F';
const message = (...segments: string[]) => [msh, ...segments].join('\r');

describe.skipIf(!hasHl7Samples)('the real-format sample messages', () => {
  it('reads LAB-ORU-1: two order groups with their accession numbers, pending and preliminary results', () => {
    const oru = accepted(readOruMessage(readHl7Sample('LAB-ORU-1'), testing));
    expect(oru).toMatchObject({
      controlId: '182',
      sendingApplication: 'SomeSystem',
      receivingApplication: 'TransformationAgent',
      messageDateTime: { raw: '201410060645', iso: '2014-10-06T06:45' },
      processingId: 'T',
      version: '2.5',
      patientIdentifiers: [{ id: '10006579', assigningAuthority: '1', type: 'MR' }],
    });
    expect(
      oru.orders.map((o) => [o.accessionNumber, o.placerOrderNumber, o.universalServiceId.code]),
    ).toEqual([
      ['82503246', '88502218', '24317-0'],
      ['890775544', '855238581', '26464-8'],
    ]);
    const [leukocytes, erythrocytes, , , platelets] = oru.orders[0]!.observations;
    // OBX 1: no value yet, status I (in progress)
    expect(leukocytes).toMatchObject({ setId: '1', valueType: 'NM', value: null, resultStatus: 'I' });
    expect(erythrocytes).toMatchObject({
      identifier: { code: '11273-0', text: 'ERYTHROCYTES', system: 'LN' },
      value: { type: 'NM', number: 4.06 },
      units: { code: 'tera.l-1', text: '', system: '' },
      abnormalFlags: ['N'],
      resultStatus: 'P',
      observationDateTime: { raw: '201410060627', iso: '2014-10-06T06:27' },
    });
    expect(platelets).toMatchObject({ value: { type: 'NM', number: 221 }, resultStatus: 'F' });
    expect(oru.orders[1]!.observations.map((o) => o.value?.text)).toEqual(['72', '2', '20', '6', '0']);
    // The OBX after each order's SPM belong to that order, the SPM's specimen id is kept
    expect(oru.orders[0]!.specimenId).toBe('SpecimenID');
  });

  it('reads the NIST LRI CBC: UCUM units, reference ranges, L and HH flags, a text finding, UTC offsets', () => {
    const oru = accepted(readOruMessage(readHl7Sample('LRI-CBC-ORU'), testing));
    expect(oru.controlId).toBe('NIST-LRI-NG-002.00');
    expect(oru.version).toBe('2.5.1');
    expect(oru.messageDateTime?.iso).toBe('2011-05-31T14:05:51-05:00');
    const [order] = oru.orders;
    expect(order).toMatchObject({
      accessionNumber: 'R-991133',
      fillerOrderNumber: 'R-991133',
      placerOrderNumber: 'ORD666555',
      universalServiceId: { code: '57021-8', text: 'CBC W Auto Differential panel in Blood', system: 'LN' },
      observationDateTime: { iso: '2011-01-03T14:34:28-08:00' },
      resultStatus: 'F',
    });
    expect(order!.observations).toHaveLength(9);
    const hemoglobin = order!.observations.find((o) => o.identifier.code === '718-7');
    expect(hemoglobin).toMatchObject({
      value: { type: 'NM', number: 12.5 },
      units: { code: 'g/mL', text: 'grams per milliliter', system: 'UCUM' },
      referenceRange: '13 to 18',
      abnormalFlags: ['L'],
      resultStatus: 'F',
      observationDateTime: { iso: '2011-01-03T14:34:28-08:00' },
      analysisDateTime: { iso: '2011-01-03T16:34:28-08:00' },
    });
    const leukocytes = order!.observations.find((o) => o.identifier.code === '26464-8');
    expect(leukocytes).toMatchObject({ value: { number: 105600 }, abnormalFlags: ['HH'] });
    const morphology = order!.observations.find((o) => o.setId === '26');
    expect(morphology).toMatchObject({
      valueType: 'TX',
      value: { type: 'TX', text: 'Many spherocytes present.' },
    });
  });

  it('reads the files the same with LF, CRLF or CR between segments', () => {
    const lf = readHl7SampleFile('LRI-CBC-ORU');
    const cr = readOruMessage(lf.replaceAll('\n', '\r'), testing);
    expect(readOruMessage(lf, testing)).toEqual(cr);
    expect(readOruMessage(lf.replaceAll('\n', '\r\n'), testing)).toEqual(cr);
    expect(cr.ok).toBe(true);
  });

  it('takes the accession number from OBR-2 or SPM-2 when the analyzer is configured so', () => {
    const byPlacer = accepted(
      readOruMessage(readHl7Sample('LRI-CBC-ORU'), { ...testing, accessionSource: 'OBR-2' }),
    );
    expect(byPlacer.orders[0]!.accessionNumber).toBe('ORD666555');
    const bySpecimen = accepted(
      readOruMessage(readHl7Sample('LAB-ORU-1'), { ...testing, accessionSource: 'SPM-2' }),
    );
    expect(bySpecimen.orders.map((o) => o.accessionNumber)).toEqual(['SpecimenID', 'SpecimenID']);
    // The LRI SPM has no specimen id: nothing to match the results against
    const missing = refused(
      readOruMessage(readHl7Sample('LRI-CBC-ORU'), { ...testing, accessionSource: 'SPM-2' }),
    );
    expect(missing.ackCode).toBe('AE');
    expect(missing.issues[0]).toMatchObject({
      condition: '101',
      text: 'OBR 1: no accession number in SPM-2',
    });
  });

  it('refuses training messages (processing id T) unless they are configured as accepted', () => {
    const result = refused(readOruMessage(readHl7Sample('LAB-ORU-1')));
    expect(result.ackCode).toBe('AR');
    expect(result.issues).toEqual([
      {
        ackCode: 'AR',
        condition: '202',
        text: 'Processing id T is not accepted here (accepted: P)',
        location: { segment: 'MSH', sequence: 1, field: 11 },
      },
    ]);
    expect(result.header?.controlId).toBe('182');
  });

  it('refuses a sample turned into an ADT^A01 with AR 200 and keeps its header for the ACK', () => {
    const adt = withField(readHl7Sample('LAB-ORU-1'), 'MSH', 9, 'ADT^A01');
    const result = refused(readOruMessage(adt, testing));
    expect(result.ackCode).toBe('AR');
    expect(result.issues[0]).toMatchObject({ condition: '200', location: { segment: 'MSH', field: 9 } });
    expect(result.issues[0]!.text).toBe('Message type ADT is not accepted: only ORU^R01');
    expect(result.header).toMatchObject({ controlId: '182', sendingApplication: 'SomeSystem' });
  });

  it('refuses a sample whose second haemoglobin value is not a number, pointing at OBX-5', () => {
    const broken = withField(readHl7Sample('LRI-CBC-ORU'), 'OBX', 5, '12,5', 2);
    const result = refused(readOruMessage(broken, testing));
    expect(result.ackCode).toBe('AE');
    expect(result.issues).toEqual([
      {
        ackCode: 'AE',
        condition: '102',
        text: 'OBX 2: OBX-5 "12,5" is not a number (value type NM)',
        location: { segment: 'OBX', sequence: 2, field: 5 },
      },
    ]);
  });
});

describe('messages that cannot be read at all', () => {
  it.each([
    ['empty input', '', 'The message is empty'],
    ['only blank lines', '\r\n\r\n', 'The message is empty'],
    ['no MSH first', 'PID|1||12345\rOBR|1||ACC-1', 'The message does not start with an MSH segment'],
    [
      'binary garbage',
      '\u0000\u00ff\u0013\u0001\u00e9\u00fe',
      'The message does not start with an MSH segment',
    ],
    ['a bare MSH', 'MSH', 'MSH-1 (field separator) is missing or invalid'],
    ['a letter as field separator', 'MSHA^~\\&A', 'MSH-1 (field separator) is missing or invalid'],
    ['missing encoding characters', 'MSH||ANALYZER', 'MSH-2 (encoding characters) is missing or invalid'],
    [
      'repeated encoding characters',
      'MSH|^^\\&|ANALYZER',
      'MSH-2 (encoding characters) is missing or invalid',
    ],
  ])('has no header to acknowledge: %s', (_, text, reason) => {
    const result = refused(readOruMessage(text));
    expect(result).toEqual({
      ok: false,
      ackCode: 'AR',
      header: null,
      issues: [{ ackCode: 'AR', condition: '100', text: reason }],
    });
  });

  it('answers AR with the header when only a later line is not a segment', () => {
    const result = refused(readOruMessage(message('this is not a segment', obr)));
    expect(result.issues[0]!.text).toBe('Line 2 is not an HL7 segment');
    expect(result.header?.controlId).toBe('MSG0001');
  });

  it('refuses a batch of two messages in one frame', () => {
    const result = refused(readOruMessage(message(obr, msh)));
    expect(result.issues[0]!.text).toBe('Line 3 starts a second message (batches are not accepted)');
  });
});

describe('header checks (AR: the message cannot be processed)', () => {
  it.each([
    ['MSH-10 missing', 10, '', '101', 'MSH-10 (message control id) is missing'],
    ['another event', 9, 'ORU^R30', '201', 'Event R30 is not accepted: only ORU^R01'],
    ['no message type', 9, '', '200', 'Message type (empty) is not accepted: only ORU^R01'],
    ['version 2.2', 12, '2.2', '203', 'HL7 version 2.2 is not supported'],
    ['debugging processing id', 11, 'D', '202', 'Processing id D is not accepted here (accepted: P)'],
  ])('%s', (_, field, value, condition, text) => {
    const result = refused(readOruMessage(withField(message(obr), 'MSH', field, value)));
    expect(result.ackCode).toBe('AR');
    expect(result.issues).toEqual([expect.objectContaining({ condition, text })]);
  });

  it('accepts the ORU_R01 message structure and v2.3.1 from older analyzers', () => {
    const old = withField(withField(message(obr), 'MSH', 9, 'ORU^R01^ORU_R01'), 'MSH', 12, '2.3.1');
    expect(readOruMessage(old).ok).toBe(true);
  });
});

describe('content checks (AE: the message is read but its results cannot be filed)', () => {
  it.each([
    ['a comma decimal', '4,06'],
    ['a word', 'abc'],
    ['an exponent', '1e3'],
    ['two numbers', '4.1~4.2'],
    ['a comparator in NM', '<0.5'],
  ])('refuses an NM value that is %s', (_, value) => {
    const result = refused(readOruMessage(message(obr, `OBX|1|NM|718-7^Hemoglobin^LN||${value}|g/dL|||||F`)));
    expect(result.ackCode).toBe('AE');
    expect(result.issues[0]).toMatchObject({
      condition: '102',
      location: { segment: 'OBX', sequence: 1, field: 5 },
    });
  });

  it('reads NM values with a sign or a bare decimal point', () => {
    const oru = accepted(
      readOruMessage(
        message(obr, 'OBX|1|NM|a^A^L||-1.5||||||F', 'OBX|2|NM|b^B^L||.5||||||F', 'OBX|3|NM|c||7.||||||F'),
      ),
    );
    expect(oru.orders[0]!.observations.map((o) => (o.value?.type === 'NM' ? o.value.number : null))).toEqual([
      -1.5, 0.5, 7,
    ]);
  });

  it('reads structured numerics (SN) and refuses a broken one', () => {
    const oru = accepted(
      readOruMessage(
        message(
          obr,
          'OBX|1|SN|a||<^0.5|mmol/L|||||F',
          'OBX|2|SN|b||^1^:^128||||||F',
          'OBX|3|SN|c||^10^-^20||||||F',
        ),
      ),
    );
    expect(oru.orders[0]!.observations.map((o) => o.value)).toEqual([
      { type: 'SN', comparator: '<', number1: 0.5, separator: '', number2: null, text: '<0.5' },
      { type: 'SN', comparator: '', number1: 1, separator: ':', number2: 128, text: '1:128' },
      { type: 'SN', comparator: '', number1: 10, separator: '-', number2: 20, text: '10-20' },
    ]);
    const broken = refused(readOruMessage(message(obr, 'OBX|1|SN|a||<^many||||||F')));
    expect(broken.issues[0]).toMatchObject({
      condition: '102',
      text: 'OBX 1: OBX-5 "<^many" is not a structured numeric (SN)',
    });
  });

  it('reads coded values, escaped text, repeating text, comments and the analyzer in OBX-18', () => {
    const oru = accepted(
      readOruMessage(
        message(
          obr,
          'NTE|1|L|Sample slightly haemolysed',
          'OBX|1|CWE|600-7^Bacteria identified^LN||112283007^Escherichia coli^SCT||||||F',
          'OBX|2|ST|8251-1^Service comment^LN||Na \\F\\ K \\S\\ Cl \\E\\ \\T\\ \\R\\ \\X41\\||||||F',
          'OBX|3|TX|8251-1^Note^LN||line one~line two||||||F|||||||XN-1000^SYSMEX~SN-4711',
          'NTE|1|L|Repeated after dilution',
          'ZXY|1|vendor segment',
        ),
      ),
    );
    const [order] = oru.orders;
    expect(order!.comments).toEqual(['Sample slightly haemolysed']);
    const [coded, text, note] = order!.observations;
    expect(coded!.value).toEqual({
      type: 'CWE',
      coded: { code: '112283007', text: 'Escherichia coli', system: 'SCT' },
      text: 'Escherichia coli',
    });
    expect(text!.value).toEqual({ type: 'ST', text: 'Na | K ^ Cl \\ & ~ A' });
    expect(note).toMatchObject({
      value: { type: 'TX', text: 'line one\nline two' },
      equipment: ['XN-1000', 'SN-4711'],
      comments: ['Repeated after dilution'],
    });
  });

  it('reads a message written with other delimiters (MSH-1 # and MSH-2 *~\\&)', () => {
    const oru = accepted(
      readOruMessage(
        [
          'MSH#*~\\&#ANALYZER#LAB###20260127#x#ORU*R01#C-9#P#2.5',
          'OBR#1##ACC-9#GLU*Glucose*99LAB',
          'OBX#1#NM#GLU*Glucose*99LAB##5.4#mmol/L#3.9-5.5##N##F',
        ].join('\r'),
      ),
    );
    expect(oru.controlId).toBe('C-9');
    expect(oru.orders[0]).toMatchObject({
      accessionNumber: 'ACC-9',
      observations: [
        { identifier: { code: 'GLU', text: 'Glucose', system: '99LAB' }, value: { number: 5.4 } },
      ],
    });
  });

  it('collects every problem of a message, each at its place', () => {
    const result = refused(
      readOruMessage(
        message(
          'OBX|1|NM|718-7||13||||||F',
          'OBR|1|PL-1||58410-2^CBC^LN',
          'OBX|1|NM|||13||||||F',
          'OBX|2|NM|718-7||13||||||Q',
          'OBX|3|NM|718-7||13||||||',
          'OBX|4||718-7||13||||||F',
          'OBX|5|NM|718-7||13||||||F|||2026-01-27',
        ),
      ),
    );
    expect(result.ackCode).toBe('AE');
    expect(result.issues.map((i) => [i.condition, i.text])).toEqual([
      ['100', 'OBX before any OBR'],
      ['101', 'OBX 1: OBX-3 (observation identifier) is missing'],
      ['103', 'OBX 2: OBX-11 result status "Q" is not in HL7 table 0085'],
      ['101', 'OBX 3: OBX-11 (result status) is missing'],
      ['101', 'OBX 4: OBX-2 (value type) is missing while OBX-5 has a value'],
      ['102', 'OBX-14 "2026-01-27" is not an HL7 date/time'],
      ['101', 'OBR 1: no accession number in OBR-3'],
    ]);
    expect(result.issues[6]!.location).toEqual({ segment: 'OBR', sequence: 1, field: 3, component: 1 });
  });

  it('refuses an ORU without any OBR', () => {
    const result = refused(readOruMessage(message('PID|1||12345^^^HOSP^MR')));
    expect(result.issues).toEqual([
      expect.objectContaining({ condition: '101', text: 'The message has no OBR (order) segment' }),
    ]);
  });

  it('accepts an order whose results are all still pending (empty OBX-5)', () => {
    const oru = accepted(readOruMessage(message(obr, 'OBX|1|NM|718-7^Hemoglobin^LN||||||||I')));
    expect(oru.orders[0]!.observations[0]).toMatchObject({ value: null, resultStatus: 'I' });
  });
});

describe('whatever arrives', () => {
  it('returns a result and never throws (property)', () => {
    const segment = fc
      .tuple(
        fc.constantFrom('MSH', 'PID', 'OBR', 'OBX', 'NTE', 'SPM', 'ZZZ', 'xx', ''),
        fc.array(
          fc.oneof(fc.string(), fc.constantFrom('NM', 'SN', 'CWE', 'TX', 'F', '^', '~', '\\', '&', '<^1')),
          {
            maxLength: 20,
          },
        ),
      )
      .map(([name, fields]) => [name, ...fields].join('|'));
    const messages = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.array(segment, { maxLength: 8 }).map((segments) => [msh, ...segments].join('\r')),
      fc
        .tuple(fc.array(segment, { maxLength: 8 }), fc.constantFrom('\r', '\n', '\r\n'))
        .map(([segments, separator]) => segments.join(separator)),
    );
    fc.assert(
      fc.property(messages, (text) => {
        const result = readOruMessage(text);
        expect(typeof result.ok).toBe('boolean');
        if (!result.ok) expect(result.issues.length).toBeGreaterThan(0);
      }),
      { numRuns: 500 },
    );
  });
});
