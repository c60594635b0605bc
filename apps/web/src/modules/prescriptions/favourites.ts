import { type Favourite, PrescriptionLineFields } from '@newhms/contracts';
import {
  type DraftLine,
  type DraftMedicine,
  type ItemBody,
  type LineForm,
  type Setting,
  validateLine,
} from './prescription-draft';

// A doctor's favourites and order sets, pure: the draft's lines as a favourite's items (without start date or
// quantity, which belong to the day and the course), and a favourite's items back as draft lines, checked like
// lines typed by hand.

const FavouriteItem = PrescriptionLineFields.omit({ startDate: true, quantity: true });

/** The items of POST /prescriptions/favourites for the draft's lines. */
export function favouriteItems(lines: readonly Pick<DraftLine, 'body'>[]) {
  return lines.map(({ body }) => {
    const { startDate: _start, quantity: _quantity, ...item } = body as ItemBody;
    return item;
  });
}

/** A favourite's item as the line form's fields (what the prescriber would have typed). */
export function lineFormFromItem(item: unknown): LineForm | null {
  const parsed = FavouriteItem.safeParse(item);
  if (!parsed.success) return null;
  const i = parsed.data;
  return {
    doseAmount: String(i.dose.amount),
    doseUnit: i.dose.unit,
    route: i.route,
    frequency: i.frequency,
    times: (i.times ?? []).join(', '),
    prnIndication: i.prnIndication ?? '',
    maxDosesPerDay: i.maxDosesPerDay ? String(i.maxDosesPerDay) : '',
    durationDays: String(i.durationDays),
    quantity: '',
    instructions: i.instructions,
    note: i.note ?? '',
  };
}

/**
 * A favourite's items as draft lines, each validated as a typed line is (a STAT order of an in-patient set is
 * not an out-patient line). Items whose medicine is gone from the formulary, or that do not pass, are named in
 * `skipped` instead.
 */
export function draftLinesFromFavourite(
  favourite: Pick<Favourite, 'items'>,
  medicines: readonly (DraftMedicine & { active?: boolean })[],
  setting: Setting,
): { lines: Omit<DraftLine, 'key'>[]; skipped: string[] } {
  const lines: Omit<DraftLine, 'key'>[] = [];
  const skipped: string[] = [];
  favourite.items.forEach((item, n) => {
    const id = typeof item.formularyItemId === 'string' ? item.formularyItemId : '';
    const medicine = medicines.find((m) => m.id === id);
    const name = medicine ? `${medicine.genericName} ${medicine.strength}`.trim() : `Item ${n + 1}`;
    if (!medicine || medicine.active === false) {
      skipped.push(`${name}: no longer in the formulary`);
      return;
    }
    const form = lineFormFromItem(item);
    if (!form) {
      skipped.push(`${name}: the saved line cannot be read`);
      return;
    }
    const checked = validateLine(medicine, form, setting);
    if (!checked.ok) {
      skipped.push(`${name}: ${Object.values(checked.errors)[0] ?? 'check this line'}`);
      return;
    }
    lines.push({ medicine, form, body: checked.body });
  });
  return { lines, skipped };
}
