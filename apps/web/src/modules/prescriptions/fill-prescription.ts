import type { FormularyItem, Prescription, PrescriptionItem } from '@newhms/contracts';

// The pharmacist's filling form, pure: what is left to hand over on each line, the request body, and which
// formulary items may stand in for a line (the same ingredients and strength, as the server allows).

export type FillLine = {
  lineNo: number;
  /** Units to hand over now, as typed. */
  quantity: string;
  substitute: Pick<FormularyItem, 'id' | 'genericName' | 'strength' | 'doseForm'> | null;
  substitutionNote: string;
};

/** Units of a line still to hand over: nothing on a stopped or completed line. */
export function unitsLeft(item: Pick<PrescriptionItem, 'quantity' | 'dispensed' | 'status'>): number {
  if (item.status !== 'active') return 0;
  return Math.max(0, item.quantity - item.dispensed);
}

/** The form as it opens: every line with something left, at what is left. */
export function initialFillLines(prescription: Pick<Prescription, 'items'>): FillLine[] {
  return prescription.items
    .filter((i) => unitsLeft(i) > 0)
    .map((i) => ({
      lineNo: i.lineNo,
      quantity: String(unitsLeft(i)),
      substitute: null,
      substitutionNote: '',
    }));
}

/** A controlled drug (Schedule H1 or X) is handed over in front of a witness. */
export function needsWitness(prescription: Pick<Prescription, 'items'>, lines: readonly FillLine[]): boolean {
  return lines.some((l) => {
    const item = prescription.items.find((i) => i.lineNo === l.lineNo);
    return !!item && Number(l.quantity) > 0 && (item.schedule === 'H1' || item.schedule === 'X');
  });
}

export type FillErrors = Record<string, string>;

/**
 * The body of POST /prescriptions/:id/dispense, or the errors of the form keyed `lines.<lineNo>.<field>`,
 * `storeId`, `alertsAcknowledged`, `witnessName`. A line at 0 (or blank) is not handed over now.
 */
export function buildFillBody(input: {
  prescription: Pick<Prescription, 'items' | 'alerts'>;
  storeId: string;
  lines: readonly FillLine[];
  acknowledged: boolean;
  counsellingNote: string;
  witnessName: string;
}):
  | {
      ok: true;
      body: {
        storeId: string;
        lines: {
          lineNo: number;
          quantity: number;
          substituteFormularyItemId?: string;
          substitutionNote?: string | null;
        }[];
        counsellingNote: string | null;
        witnessName: string | null;
        alertsAcknowledged: boolean;
      };
    }
  | { ok: false; errors: FillErrors } {
  const errors: FillErrors = {};
  if (!input.storeId) errors.storeId = 'Choose the store the medicines come from';
  const overridden = input.prescription.alerts.some((a) => !!a.overrideReason);
  if (overridden && !input.acknowledged) {
    errors.alertsAcknowledged = "Read the prescriber's overrides first";
  }
  const lines: {
    lineNo: number;
    quantity: number;
    substituteFormularyItemId?: string;
    substitutionNote?: string | null;
  }[] = [];
  for (const l of input.lines) {
    const item = input.prescription.items.find((i) => i.lineNo === l.lineNo);
    if (!item) continue;
    const text = l.quantity.trim();
    if (text === '' || text === '0') continue;
    const n = Number(text);
    const left = unitsLeft(item);
    if (!Number.isInteger(n) || n < 0) {
      errors[`lines.${l.lineNo}.quantity`] = 'Whole units';
      continue;
    }
    if (n > left) {
      errors[`lines.${l.lineNo}.quantity`] = `At most ${left} left to hand over`;
      continue;
    }
    if (l.substitute && !l.substitutionNote.trim()) {
      errors[`lines.${l.lineNo}.substitutionNote`] = 'Say why another product is given';
      continue;
    }
    lines.push({
      lineNo: l.lineNo,
      quantity: n,
      ...(l.substitute
        ? { substituteFormularyItemId: l.substitute.id, substitutionNote: l.substitutionNote.trim() }
        : {}),
    });
  }
  if (lines.length === 0 && Object.keys(errors).every((k) => !k.startsWith('lines.'))) {
    errors.lines = 'Nothing to hand over: give a quantity on at least one line';
  }
  if (needsWitness(input.prescription, input.lines) && !input.witnessName.trim()) {
    errors.witnessName = 'A controlled drug is handed over in front of a witness';
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    body: {
      storeId: input.storeId,
      lines,
      counsellingNote: input.counsellingNote.trim() || null,
      witnessName: input.witnessName.trim() || null,
      alertsAcknowledged: input.acknowledged,
    },
  };
}

/** Formulary items that may stand in for a line: another product of the same ingredients and strength. */
export function substitutesFor<I extends Pick<FormularyItem, 'id' | 'ingredients' | 'strength' | 'active'>>(
  line: Pick<PrescriptionItem, 'formularyItemId' | 'strength'>,
  ingredients: readonly string[],
  candidates: readonly I[],
): I[] {
  const norm = (xs: readonly string[]) =>
    [...xs]
      .map((x) => x.toLowerCase())
      .sort()
      .join('+');
  const want = norm(ingredients);
  const strength = line.strength.replace(/\s+/g, '').toLowerCase();
  return candidates.filter(
    (c) =>
      c.id !== line.formularyItemId &&
      c.active &&
      norm(c.ingredients) === want &&
      c.strength.replace(/\s+/g, '').toLowerCase() === strength,
  );
}
