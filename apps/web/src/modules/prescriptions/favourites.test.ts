import { describe, expect, it } from 'vitest';
import { draftLinesFromFavourite, favouriteItems, lineFormFromItem } from './favourites';
import { type DraftMedicine, newLineForm, validateLine } from './prescription-draft';

const PCM = '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';
const ONDA = '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c';

function medicine(id: string, genericName: string, overrides: Partial<DraftMedicine> = {}): DraftMedicine {
  return {
    id,
    code: 'F0001',
    genericName,
    strength: '500 mg',
    doseForm: 'tablet',
    unitOfIssue: 'tablet',
    schedule: 'H',
    highAlert: false,
    lasaGroup: null,
    controlled: false,
    route: 'oral',
    ...overrides,
  };
}

const paracetamol = medicine(PCM, 'Paracetamol');
const ondansetron = medicine(ONDA, 'Ondansetron', { strength: '4 mg' });

function typedLine(
  m: DraftMedicine,
  patch: Partial<ReturnType<typeof newLineForm>>,
  setting: 'outpatient' | 'inpatient' = 'outpatient',
) {
  const form = { ...newLineForm(m), ...patch };
  const checked = validateLine(m, form, setting);
  if (!checked.ok) throw new Error(JSON.stringify(checked.errors));
  return { medicine: m, form, body: checked.body };
}

describe('saving the draft as a favourite', () => {
  it('keeps each line as the form sends it, without the quantity or a start date', () => {
    const line = typedLine(paracetamol, {
      doseAmount: '500',
      doseUnit: 'mg',
      frequency: 'TDS',
      durationDays: '3',
      quantity: '9',
      note: 'with water',
    });
    expect(line.body.quantity).toBe(9);
    expect(favouriteItems([line])).toEqual([
      {
        formularyItemId: PCM,
        dose: { amount: 500, unit: 'mg' },
        route: 'oral',
        frequency: 'TDS',
        durationDays: 3,
        instructions: 'after-food',
        note: 'with water',
      },
    ]);
  });
});

describe('a favourite back into the draft', () => {
  it('gives the same line form and body as the prescriber typed, as needed doses and custom times too', () => {
    const lines = [
      typedLine(paracetamol, { doseAmount: '500', doseUnit: 'mg', frequency: 'TDS', durationDays: '3' }),
      typedLine(ondansetron, {
        doseAmount: '4',
        doseUnit: 'mg',
        frequency: 'SOS',
        prnIndication: 'nausea',
        maxDosesPerDay: '2',
        durationDays: '2',
      }),
      typedLine(paracetamol, { frequency: 'CUSTOM', times: '08:00, 20:00', durationDays: '5' }, 'inpatient'),
    ];
    const items = favouriteItems(lines);
    const back = draftLinesFromFavourite({ items }, [paracetamol, ondansetron], 'inpatient');
    expect(back.skipped).toEqual([]);
    expect(back.lines.map((l) => l.body)).toEqual(lines.map((l) => l.body));
    expect(back.lines.map((l) => l.form)).toEqual(lines.map((l) => ({ ...l.form, quantity: '' })));
    expect(back.lines.map((l) => l.medicine.genericName)).toEqual([
      'Paracetamol',
      'Ondansetron',
      'Paracetamol',
    ]);
  });

  it('checks each item as a typed line: a STAT order does not come into an out-patient prescription', () => {
    const stat = favouriteItems([
      typedLine(
        ondansetron,
        { doseAmount: '4', doseUnit: 'mg', frequency: 'STAT', durationDays: '1' },
        'inpatient',
      ),
    ]);
    const both = [...stat, ...favouriteItems([typedLine(paracetamol, { durationDays: '3' })])];
    const result = draftLinesFromFavourite({ items: both }, [paracetamol, ondansetron], 'outpatient');
    expect(result.lines.map((l) => l.medicine.id)).toEqual([PCM]);
    expect(result.skipped).toEqual(['Ondansetron 4 mg: STAT is an in-patient order']);
  });

  it('names items whose medicine left the formulary, or that cannot be read', () => {
    const result = draftLinesFromFavourite(
      {
        items: [
          { formularyItemId: ONDA, frequency: 'OD' },
          { formularyItemId: PCM, dose: 'one' },
        ],
      },
      [{ ...ondansetron, active: false }, paracetamol],
      'outpatient',
    );
    expect(result.lines).toEqual([]);
    expect(result.skipped).toEqual([
      'Ondansetron 4 mg: no longer in the formulary',
      'Paracetamol 500 mg: the saved line cannot be read',
    ]);
  });

  it('reads a saved line back into the form fields', () => {
    expect(
      lineFormFromItem({
        formularyItemId: PCM,
        dose: { amount: 1, unit: 'tablet' },
        route: 'oral',
        frequency: 'BD',
        durationDays: 5,
      }),
    ).toEqual({
      doseAmount: '1',
      doseUnit: 'tablet',
      route: 'oral',
      frequency: 'BD',
      times: '',
      prnIndication: '',
      maxDosesPerDay: '',
      durationDays: '5',
      quantity: '',
      instructions: 'after-food',
      note: '',
    });
  });
});
