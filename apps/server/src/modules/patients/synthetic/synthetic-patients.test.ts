import { RegisterPatientBody, verhoeffValid } from '@newhms/contracts';
import { describe, expect, it } from 'vitest';
import { FieldCipher } from '../../../platform/crypto/field-cipher';
import { communities } from './communities';
import { districtsByState } from './places';
import { createRandom } from './random';
import { otherSpellings, withTypo } from './spelling';
import { generatePatients, toInsertRows, toRegisterBody } from './synthetic-patients';

const now = new Date('2026-06-15T06:00:00Z');
const sample = generatePatients(20_000, { seed: 11, now });
const share = (f: (p: (typeof sample)[number]) => boolean) => sample.filter(f).length / sample.length;

describe('synthetic patients', () => {
  it('are the same for the same seed and differ for another', () => {
    const again = generatePatients(200, { seed: 11, now });
    expect(again).toEqual(sample.slice(0, 200));
    const other = generatePatients(200, { seed: 12, now });
    expect(other.map((p) => p.name)).not.toEqual(again.map((p) => p.name));
  });

  it('fill a registration form the contract accepts', () => {
    for (const p of sample.slice(0, 3000)) {
      const parsed = RegisterPatientBody.safeParse(toRegisterBody(p));
      expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    }
  });

  it('carry Aadhaar numbers with a valid Verhoeff check digit and 10-digit mobiles starting 6-9', () => {
    const withAadhaar = sample.filter((p) => p.aadhaar);
    expect(withAadhaar.length).toBeGreaterThan(sample.length * 0.25);
    for (const p of withAadhaar)
      expect(verhoeffValid(p.aadhaar!) && /^[2-9]\d{11}$/.test(p.aadhaar!)).toBe(true);
    for (const p of sample) for (const n of p.phones) expect(n).toMatch(/^[6-9]\d{9}$/);
  });

  it('live in the home states of their community, in a district of that state', () => {
    const misplaced = sample.filter((p) => {
      const community = communities.find((c) => c.id === p.community)!;
      const districts = districtsByState[p.address.state as keyof typeof districtsByState];
      const district = districts?.find((d) => d.district === p.address.district);
      return (
        !community.homeStates.some(([s]) => s === p.address.state) ||
        !district?.localities.includes(p.address.locality) ||
        !p.address.postalCode.startsWith(district.pin)
      );
    });
    expect(misplaced).toEqual([]);
  });

  it('have the age mix of a hospital, with about 8% known only by an estimated age', () => {
    expect(share((p) => p.age < 13)).toBeGreaterThan(0.15);
    expect(share((p) => p.age >= 60)).toBeGreaterThan(0.2);
    const estimated = share((p) => p.birth !== null && 'age' in p.birth);
    expect(estimated).toBeGreaterThan(0.06);
    expect(estimated).toBeLessThan(0.1);
  });

  it('share family names, addresses and often a mobile number within a household', () => {
    const byHousehold = new Map<number, typeof sample>();
    for (const p of sample) byHousehold.set(p.household, [...(byHousehold.get(p.household) ?? []), p]);
    const families = [...byHousehold.values()].filter((h) => h.length >= 3);
    expect(families.length).toBeGreaterThan(100);
    const sharingPhone = families.filter((h) => new Set(h.map((p) => p.phones[0])).size < h.length);
    expect(sharingPhone.length).toBeGreaterThan(families.length / 2);
    for (const h of families) expect(new Set(h.map((p) => p.address.line)).size).toBe(1);
  });

  it('spell names several ways, use South Indian initials, and have single-name patients', () => {
    const givens = new Set(sample.map((p) => p.name.given));
    expect(givens).toContain('Laxmi');
    expect(givens).toContain('Lakshmi');
    expect([...givens].some((g) => /^[A-Z]\. /.test(g ?? ''))).toBe(true);
    expect(sample.some((p) => /^(Mohammed|Mohammad|Muhammad)$/.test(p.name.given ?? ''))).toBe(true);
    expect(share((p) => !p.name.family && !p.name.middle && !/\./.test(p.name.given ?? ''))).toBeGreaterThan(
      0.01,
    );
    expect(share((p) => p.name.middle === 'Kaur' || p.name.family === 'Kaur')).toBeGreaterThan(0.005);
  });

  it('give B+ and O+ as the commonest recorded blood groups', () => {
    const counts = new Map<string, number>();
    for (const p of sample) if (p.bloodGroup) counts.set(p.bloodGroup, (counts.get(p.bloodGroup) ?? 0) + 1);
    const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([g]) => g);
    expect(ranked.slice(0, 2).sort()).toEqual(['B+', 'O+']);
  });

  it('become table rows with the normalized name, phonetic keys and hashed identifiers of registration', () => {
    const cipher = new FieldCipher(Buffer.alloc(32, 7));
    const p = sample.find((x) => x.aadhaar && x.name.family)!;
    const rows = toInsertRows(p, {
      facilityId: '0190f000-0000-7000-8000-000000000001',
      mrn: 'M-1',
      cipher,
      now,
    });
    expect(rows.patient.searchName).toBe(
      rows.patient.displayName
        .toLowerCase()
        .replace(/[^a-z ]/g, ' ')
        .replace(/\s+/g, ' ')
        .trim(),
    );
    expect(rows.patient.phoneticKeys!.length).toBeGreaterThan(0);
    const aadhaar = rows.identifiers.find((i) => i.type === 'aadhaar')!;
    expect(aadhaar.valueHash).toBe(cipher.lookupHash('aadhaar', p.aadhaar!));
    expect(cipher.decrypt(aadhaar.valueEncrypted)).toBe(p.aadhaar);
    expect(aadhaar.display.endsWith(p.aadhaar!.slice(-4))).toBe(true);
    expect(rows.phones[0]!.number).toBe(`+91${p.phones[0]}`);
  });
});

describe('spelling', () => {
  it('knows the other spellings of a name', () => {
    expect(otherSpellings('Mohammed')).toEqual(expect.arrayContaining(['Mohammad', 'Muhammad']));
    expect(otherSpellings('laxmi')).toContain('Lakshmi');
    expect(otherSpellings('Ramesh')).toEqual([]);
  });

  it('makes one slip, keeping the first letter', () => {
    const random = createRandom(3);
    for (const word of ['Srinivas', 'Chatterjee', 'Fernandes', 'Gowda', 'Ayesha']) {
      for (let i = 0; i < 20; i++) {
        const slip = withTypo(word, random);
        expect(slip).not.toBe(word.toLowerCase());
        expect(slip[0]).toBe(word[0]!.toLowerCase());
      }
    }
  });
});
