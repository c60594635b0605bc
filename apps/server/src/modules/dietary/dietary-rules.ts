import type { Allergy, AllergyState, Diet, KitchenList, Meal } from '@newhms/contracts';
import { MEAL_TIMES } from '@newhms/contracts';
import { zonedInstant } from '../../platform/time/facility-time';

// The pure rules of the kitchen: when a meal is, what a bed gets at it, and how allergies are written
// for the tray.

/** The instant a meal is served on a calendar date in the facility's time zone. */
export function mealInstant(date: string, meal: Meal, timeZone: string): Date {
  return zonedInstant(date, MEAL_TIMES[meal], timeZone);
}

type OrderAtMeal = { diet: Diet; npoFrom: Date | null; npoUntil: Date | null };
type Serve = KitchenList['wards'][number]['lines'][number]['serve'];

/**
 * What the kitchen does for a bed at a meal. NPO (nil by mouth) means nothing to serve only while its window
 * covers the meal; outside it the order says nothing about food, so the kitchen asks the ward, as it does
 * for a patient without any diet order. Tube feeds go from the diet kitchen, not the tray line.
 */
export function serveAtMeal(order: OrderAtMeal | null, mealAt: Date): Serve {
  if (!order) return 'ask-ward';
  if (order.diet === 'npo') {
    const covers =
      order.npoFrom !== null &&
      order.npoFrom <= mealAt &&
      (order.npoUntil === null || mealAt < order.npoUntil);
    return covers ? 'npo' : 'ask-ward';
  }
  if (order.diet === 'tube-feed') return 'tube-feed';
  return 'meal';
}

/** The key a bed counts under in the kitchen's totals: the diet served, 'npo', 'tube-feed' or 'ask-ward'. */
export function countKey(order: { diet: Diet } | null, serve: Serve): string {
  return serve === 'meal' && order ? order.diet : serve;
}

/** The patient's active allergies as the kitchen reads them: "Peanut (food, severe: anaphylaxis)". */
export function allergySnapshot(patient: { allergyState: AllergyState; allergies: readonly Allergy[] }): {
  allergyState: AllergyState;
  allergies: string[];
} {
  const active = patient.allergies.filter((a) => a.status === 'active');
  return {
    allergyState: patient.allergyState,
    allergies: active.map(
      (a) => `${a.substance} (${a.category}, ${a.severity}${a.reaction ? `: ${a.reaction}` : ''})`,
    ),
  };
}
