import type {
  alertKinds,
  allergyCategories,
  consentKinds,
  maritalStatuses,
  matchKinds,
  Sex,
} from '@newhms/contracts';

export const sexLabels: Record<Sex, string> = {
  male: 'Male',
  female: 'Female',
  other: 'Other',
  unknown: 'Unknown',
};

export const maritalStatusLabels: Record<(typeof maritalStatuses)[number], string> = {
  single: 'Single',
  married: 'Married',
  divorced: 'Divorced',
  widowed: 'Widowed',
  separated: 'Separated',
  unknown: 'Unknown',
};

export const matchKindLabels: Record<(typeof matchKinds)[number], string> = {
  mrn: 'MRN',
  phone: 'Phone',
  identifier: 'ID',
  name: 'Name',
  phonetic: 'Sounds like',
};

export const consentLabels: Record<(typeof consentKinds)[number], string> = {
  sms: 'SMS messages',
  email: 'E-mail',
  whatsapp: 'WhatsApp messages',
  'data-sharing': 'Sharing of records (ABDM / referrals)',
};

export const allergyCategoryLabels: Record<(typeof allergyCategories)[number], string> = {
  drug: 'Drug',
  food: 'Food',
  environment: 'Environment',
  other: 'Other',
};

export const alertKindLabels: Record<(typeof alertKinds)[number], string> = {
  'fall-risk': 'Fall risk',
  'infection-control': 'Infection control',
  'violence-risk': 'Violence risk',
  dnr: 'DNR',
  vip: 'VIP',
  'medico-legal': 'Medico-legal',
  'language-barrier': 'Language barrier',
  other: 'Alert',
};

export const contactKindLabels = { 'next-of-kin': 'Next of kin', emergency: 'Emergency contact' } as const;

export const phoneKindLabels = { mobile: 'Mobile', home: 'Home', work: 'Work' } as const;

/** Common choices at an Indian front desk; any other language can be typed. */
export const commonLanguages = [
  'Hindi',
  'English',
  'Marathi',
  'Bengali',
  'Telugu',
  'Tamil',
  'Gujarati',
  'Urdu',
  'Kannada',
  'Odia',
  'Malayalam',
  'Punjabi',
  'Assamese',
] as const;

export const relationships = [
  'Spouse',
  'Father',
  'Mother',
  'Son',
  'Daughter',
  'Brother',
  'Sister',
  'Guardian',
  'Friend',
  'Other',
] as const;

/** "34 y / Female", or what is known of it. */
export function ageSex(p: { age: string | null; sex: Sex }): string {
  return [p.age, sexLabels[p.sex]].filter(Boolean).join(' / ');
}
