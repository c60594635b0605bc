import { z } from 'zod';
import { IsoDateTime, IsoDay, Text, Uuid } from './common';

// Diet orders of in-patients (module `dietary`) and the kitchen's lists per ward and meal.

export const diets = [
  'normal',
  'soft',
  'liquid',
  'diabetic',
  'renal',
  'low-salt',
  'npo',
  'tube-feed',
] as const;
export const Diet = z.enum(diets);
export type Diet = z.infer<typeof Diet>;

export const dietOrderStatuses = ['active', 'replaced', 'stopped'] as const;
export const DietOrderStatus = z.enum(dietOrderStatuses);

/** The patient's allergy record when the order was made: 'not-recorded' (nobody asked) is not 'none-known'. */
export const DietAllergyState = z.enum(['not-recorded', 'none-known', 'recorded']);

export const meals = ['breakfast', 'lunch', 'snacks', 'dinner'] as const;
export const Meal = z.enum(meals);
export type Meal = z.infer<typeof Meal>;

/** When each meal is served, facility time. */
export const MEAL_TIMES: Record<Meal, string> = {
  breakfast: '07:30',
  lunch: '12:30',
  snacks: '16:30',
  dinner: '19:30',
};

export const TubeFeed = z.object({
  formula: Text(120),
  volumeMl: z.number().int().min(1).max(5000),
  timesPerDay: z.number().int().min(1).max(24),
});
export type TubeFeed = z.infer<typeof TubeFeed>;

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .transform((v) => (v === '' ? null : v))
    .nullable()
    .optional();

export const DietOrder = z
  .object({
    id: Uuid,
    facilityId: Uuid,
    admissionId: Uuid,
    patientId: Uuid,
    diet: Diet,
    /** NPO (nil by mouth) window; until null = until further orders. */
    npoFrom: IsoDateTime.nullable(),
    npoUntil: IsoDateTime.nullable(),
    tubeFeed: TubeFeed.nullable(),
    instructions: z.string().nullable(),
    /** Snapshot of the patient's active allergies at ordering, e.g. "Peanut (food, severe: anaphylaxis)". */
    allergies: z.array(z.string()),
    allergyState: DietAllergyState,
    status: DietOrderStatus,
    startsAt: IsoDateTime,
    endedAt: IsoDateTime.nullable(),
    endReason: z.string().nullable(),
    orderedByName: z.string(),
    version: z.number().int(),
  })
  .meta({ id: 'DietOrder' });
export type DietOrder = z.infer<typeof DietOrder>;

export const DietOrderBody = z
  .object({
    diet: Diet,
    /** NPO only: from when (default now) and until when (null: until further orders). */
    npoFrom: IsoDateTime.optional(),
    npoUntil: IsoDateTime.nullish(),
    /** Tube feed only. */
    tubeFeed: TubeFeed.optional(),
    instructions: optionalText(1000),
    /**
     * The active order this one replaces, as the client saw it: when another order was made meanwhile,
     * 409 (omit to replace whatever is active).
     */
    replacesOrderId: Uuid.nullish(),
  })
  .superRefine((b, ctx) => {
    if (b.diet !== 'npo' && (b.npoFrom !== undefined || (b.npoUntil ?? null) !== null)) {
      ctx.addIssue({ code: 'custom', message: 'only for an NPO order', path: ['npoFrom'] });
    }
    if (b.diet === 'npo' && b.npoFrom && b.npoUntil && Date.parse(b.npoUntil) <= Date.parse(b.npoFrom)) {
      ctx.addIssue({ code: 'custom', message: 'must be after npoFrom', path: ['npoUntil'] });
    }
    if (b.diet === 'tube-feed' && !b.tubeFeed) {
      ctx.addIssue({
        code: 'custom',
        message: 'a tube feed needs formula, volume and times per day',
        path: ['tubeFeed'],
      });
    }
    if (b.diet !== 'tube-feed' && b.tubeFeed) {
      ctx.addIssue({ code: 'custom', message: 'only for a tube-feed order', path: ['tubeFeed'] });
    }
  });
export type DietOrderBody = z.input<typeof DietOrderBody>;

export const StopDietOrderBody = z.object({
  reason: Text(300),
  version: z.number().int().min(1).optional(),
});

export const DietAdmissionParams = z.object({ admissionId: Uuid });

/** Where the patient of an admission lies now (null bed: between beds, or not placed). */
export const DietPlacement = z.object({
  admissionId: Uuid,
  admissionNumber: z.string(),
  status: z.string(),
  patientId: Uuid,
  patientName: z.string(),
  mrn: z.string(),
  wardId: Uuid.nullable(),
  wardName: z.string().nullable(),
  bedId: Uuid.nullable(),
  bedCode: z.string().nullable(),
});

export const AdmissionDiet = z
  .object({
    placement: DietPlacement,
    active: DietOrder.nullable(),
    /** Every order of the admission, newest first (the active one included). */
    history: z.array(DietOrder),
  })
  .meta({ id: 'AdmissionDiet' });
export type AdmissionDiet = z.infer<typeof AdmissionDiet>;

const CalendarDay = IsoDay;
export const KitchenListQuery = z.object({
  meal: Meal,
  /** The facility's calendar date; default today. Yesterday, today and tomorrow only. */
  date: CalendarDay.optional(),
  wardId: Uuid.optional(),
});
export type KitchenListQuery = z.input<typeof KitchenListQuery>;

/**
 * What the kitchen does for one bed at this meal: serve the diet, nothing (NPO covers the meal), a tube feed
 * (listed apart), or ask the ward (no diet order, or an NPO order whose window does not cover this meal).
 */
export const KitchenServe = z.enum(['meal', 'npo', 'tube-feed', 'ask-ward']);

export const KitchenLine = z.object({
  admissionId: Uuid,
  bedId: Uuid,
  bedCode: z.string(),
  patientId: Uuid,
  patientName: z.string(),
  mrn: z.string(),
  orderId: Uuid.nullable(),
  diet: Diet.nullable(),
  serve: KitchenServe,
  instructions: z.string().nullable(),
  allergies: z.array(z.string()),
  allergyState: DietAllergyState.nullable(),
  npoUntil: IsoDateTime.nullable(),
  tubeFeed: TubeFeed.nullable(),
});
export type KitchenLine = z.infer<typeof KitchenLine>;

export const KitchenWard = z.object({
  wardId: Uuid,
  wardCode: z.string(),
  wardName: z.string(),
  lines: z.array(KitchenLine),
  /** Beds per diet ('npo' only when NPO covers the meal; 'no-order' without a diet order). */
  counts: z.record(z.string(), z.number().int()),
});

export const KitchenList = z
  .object({
    facilityId: Uuid,
    date: CalendarDay,
    meal: Meal,
    /** The meal's time as an instant (facility time zone). */
    mealAt: IsoDateTime,
    wards: z.array(KitchenWard),
    /** The tube feeds, apart: they go from the diet kitchen, not the tray line. */
    tubeFeeds: z.array(KitchenLine.extend({ wardName: z.string() })),
    /** Totals per diet across the wards shown. */
    totals: z.record(z.string(), z.number().int()),
    generatedAt: IsoDateTime,
  })
  .meta({ id: 'KitchenList' });
export type KitchenList = z.infer<typeof KitchenList>;
