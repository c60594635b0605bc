// The usual answers of coded tests, offered as the technician types (any other answer can still be typed).

const reactive = ['Non-reactive', 'Reactive', 'Indeterminate'];
const positive = ['Negative', 'Positive'];
const dipstick = ['Negative', 'Trace', '1+', '2+', '3+', '4+'];

const byTest: Record<string, string[]> = {
  ABO: ['A', 'B', 'AB', 'O'],
  RH: ['Positive', 'Negative'],
  U_PROTEIN: dipstick,
  U_GLUCOSE: dipstick,
  U_KETONES: dipstick,
  U_BLOOD: dipstick,
  U_BILIRUBIN: dipstick,
  U_LEUCOCYTES: dipstick,
  U_NITRITE: positive,
  U_HCG: positive,
  STOOL_OCCULT: positive,
  HIV_COMBO: reactive,
  HIV_AB: reactive,
  HBSAG: reactive,
  ANTI_HCV: reactive,
  VDRL: reactive,
  RPR: reactive,
  DENGUE_NS1: positive,
  DENGUE_IGM: positive,
};

/** Suggested answers for a coded test (none for a test the list does not know). */
export function codedAnswers(testCode: string): string[] {
  return byTest[testCode] ?? [...positive, ...reactive.slice(0, 2)];
}

/** Antibiotics the bench reports most, for the susceptibility rows. */
export const commonAntibiotics = [
  'Amikacin',
  'Amoxicillin-clavulanate',
  'Ampicillin',
  'Azithromycin',
  'Cefepime',
  'Cefoperazone-sulbactam',
  'Cefotaxime',
  'Ceftazidime',
  'Ceftriaxone',
  'Cefuroxime',
  'Ciprofloxacin',
  'Clindamycin',
  'Colistin',
  'Co-trimoxazole',
  'Doxycycline',
  'Ertapenem',
  'Erythromycin',
  'Gentamicin',
  'Imipenem',
  'Levofloxacin',
  'Linezolid',
  'Meropenem',
  'Nitrofurantoin',
  'Oxacillin',
  'Penicillin',
  'Piperacillin-tazobactam',
  'Teicoplanin',
  'Tigecycline',
  'Vancomycin',
];
