import type { Diet, Meal } from '@newhms/contracts';

// The permissions the dietary screens check (declared by the server's dietary module).
export type DietaryPermission = 'dietary:read' | 'dietary:order';

export const dietLabels: Record<Diet, string> = {
  normal: 'Normal',
  soft: 'Soft',
  liquid: 'Liquid',
  diabetic: 'Diabetic',
  renal: 'Renal',
  'low-salt': 'Low salt',
  npo: 'NPO (nil by mouth)',
  'tube-feed': 'Tube feed',
};

export const mealLabels: Record<Meal, string> = {
  breakfast: 'Breakfast',
  lunch: 'Lunch',
  snacks: 'Snacks',
  dinner: 'Dinner',
};

/** The kitchen's counts name diets and 'no-order'. */
export function countLabel(key: string): string {
  if (key === 'no-order') return 'No diet order';
  return dietLabels[key as Diet] ?? key;
}

export const serveLabels: Record<string, string> = {
  meal: 'Serve',
  npo: 'NPO: no tray',
  'tube-feed': 'Tube feed',
  'ask-ward': 'Ask the ward',
};
