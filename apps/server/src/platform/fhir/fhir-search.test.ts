import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { parseDateParam, parseSearch, parseToken, referencedId, tokenIn } from './fhir-search';
import { FhirError } from './operation-outcome';

const range = (value: string, zone = 'UTC') => {
  const r = parseDateParam(value, zone, 'date');
  return { prefix: r.prefix, start: r.start.toISOString(), end: r.end.toISOString() };
};

describe('date parameters', () => {
  it('stand for the whole year, month or day they name, in the facility zone', () => {
    expect(range('2024')).toEqual({
      prefix: 'eq',
      start: '2024-01-01T00:00:00.000Z',
      end: '2025-01-01T00:00:00.000Z',
    });
    expect(range('le2024-02')).toEqual({
      prefix: 'le',
      start: '2024-02-01T00:00:00.000Z',
      end: '2024-03-01T00:00:00.000Z',
    });
    expect(range('2024-05-01', 'Asia/Kolkata')).toEqual({
      prefix: 'eq',
      start: '2024-04-30T18:30:00.000Z',
      end: '2024-05-01T18:30:00.000Z',
    });
  });

  it('reads years before 100 as they are', () => {
    expect(range('0050-03')).toMatchObject({
      start: '0050-03-01T00:00:00.000Z',
      end: '0050-04-01T00:00:00.000Z',
    });
  });

  it('keeps a day 23 hours long when the clocks go forward', () => {
    expect(range('2024-03-10', 'America/New_York')).toMatchObject({
      start: '2024-03-10T05:00:00.000Z',
      end: '2024-03-11T04:00:00.000Z',
    });
  });

  it('reads times to the minute, second or millisecond, with their own zone when given', () => {
    expect(range('ge2024-05-01T10:00:00Z', 'Asia/Kolkata')).toEqual({
      prefix: 'ge',
      start: '2024-05-01T10:00:00.000Z',
      end: '2024-05-01T10:00:01.000Z',
    });
    expect(range('2024-05-01T10:00+05:30')).toMatchObject({
      start: '2024-05-01T04:30:00.000Z',
      end: '2024-05-01T04:31:00.000Z',
    });
    // An unencoded "+" arrives as a space.
    expect(range('2024-05-01T10:00 05:30').start).toBe('2024-05-01T04:30:00.000Z');
    expect(range('2024-05-01T10:00-04:00').start).toBe('2024-05-01T14:00:00.000Z');
    expect(range('2024-05-01T10:00:00.250Z')).toMatchObject({
      start: '2024-05-01T10:00:00.250Z',
      end: '2024-05-01T10:00:00.251Z',
    });
    expect(range('2024-05-01T10:00', 'Asia/Kolkata').start).toBe('2024-05-01T04:30:00.000Z');
  });

  it.each(['2024-02-30', '2024-13', 'xx2024', '2024-05-01T25:00Z', '0000', '24-05-01', '2024-05-01T10'])(
    'refuses %s with a 400 naming the parameter',
    (value) => {
      try {
        parseDateParam(value, 'UTC', 'recorded-date');
        expect.unreachable();
      } catch (err) {
        expect(err).toBeInstanceOf(FhirError);
        expect((err as FhirError).status).toBe(400);
        expect((err as FhirError).issues[0]?.expression).toEqual(['recorded-date']);
      }
    },
  );
});

describe('tokens and references', () => {
  it('tells system|code, |code, code and system| apart', () => {
    expect(parseToken('http://loinc.org|8867-4')).toEqual({ system: 'http://loinc.org', code: '8867-4' });
    expect(parseToken('|8867-4')).toEqual({ system: null, code: '8867-4' });
    expect(parseToken('8867-4')).toEqual({ system: undefined, code: '8867-4' });
    expect(parseToken('http://loinc.org|')).toEqual({ system: 'http://loinc.org', code: undefined });
  });

  it('matches a token against codes of one system', () => {
    const codes = ['AMB', 'IMP', 'EMER'];
    expect(tokenIn(parseToken('AMB'), 'urn:x', codes)).toEqual(['AMB']);
    expect(tokenIn(parseToken('urn:x|'), 'urn:x', codes)).toEqual(codes);
    expect(tokenIn(parseToken('urn:y|AMB'), 'urn:x', codes)).toEqual([]);
    expect(tokenIn(parseToken('|AMB'), 'urn:x', codes)).toEqual([]);
    expect(tokenIn(parseToken('OBS'), 'urn:x', codes)).toEqual([]);
  });

  it('reads Type/id, an absolute URL and a bare id, and nothing of another type', () => {
    const id = '0190A000-0000-7000-8000-00000000BEEF';
    expect(referencedId(`Patient/${id}`, 'Patient')).toBe(id.toLowerCase());
    expect(referencedId(`https://h.example/fhir/R4/Patient/${id}`, 'Patient')).toBe(id.toLowerCase());
    expect(referencedId(id, 'Patient')).toBe(id.toLowerCase());
    expect(referencedId(`Group/${id}`, 'Patient')).toBeNull();
    expect(referencedId('Patient/42', 'Patient')).toBeNull();
  });
});

describe('parseSearch', () => {
  const defs = { status: { modifiers: ['not'], match: (v: string) => sql`s = ${v}` } };

  it('keeps the parameters it understood, in order, and ignores unknown ones', () => {
    const s = parseSearch('Encounter', { status: ['finished', 'a,b'], foo: '1', _count: '5' }, defs, {
      strict: false,
    });
    expect(s.params).toEqual([
      ['status', 'finished'],
      ['status', 'a,b'],
    ]);
    expect(s.conditions).toHaveLength(2);
    expect(s.ignored).toEqual(['foo']);
    expect(s.count).toBe('5');
  });

  it('refuses unknown parameters under strict handling, unsupported modifiers and empty values', () => {
    const issues = (query: Record<string, unknown>, strict = false) => {
      try {
        parseSearch('Encounter', query, defs, { strict });
        return [];
      } catch (err) {
        return (err as FhirError).issues.map((i) => i.expression?.[0]);
      }
    };
    expect(issues({ foo: '1' }, true)).toEqual(['foo']);
    expect(issues({ 'status:exact': 'x' })).toEqual(['status:exact']);
    expect(issues({ status: '' })).toEqual(['status']);
    expect(issues({ status: 'a\u0000b' })).toEqual(['status']);
    expect(issues({ _count: ['1', '2'] })).toEqual(['_count']);
    expect(issues({ _total: 'some' })).toEqual(['_total']);
    expect(issues({ 'status:not': 'x' })).toEqual([]);
  });

  it('asks for one of the parameters a resource cannot be searched without', () => {
    const need = { strict: false, requireOneOf: ['status'] };
    expect(() => parseSearch('Observation', { foo: '1' }, defs, need)).toThrow(/needs one of status/);
    expect(parseSearch('Observation', { 'status:not': 'x' }, defs, need).conditions).toHaveLength(1);
  });
});
