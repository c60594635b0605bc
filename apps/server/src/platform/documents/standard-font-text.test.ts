import { describe, expect, it } from 'vitest';
import { toStandardFontText } from './standard-font-text';

describe('toStandardFontText', () => {
  it.each([
    ['Ananya Raghunathan', 'Ananya Raghunathan'],
    ["D'Souza, Mary-Ann", "D'Souza, Mary-Ann"],
    ['José Fernandes', 'José Fernandes'],
    ['Śrīnivās Nārāyaṇan', 'Srinivas Narayanan'],
    ['Poojā Reḍḍy', 'Pooja Reddy'],
    ['Mohammed Ḥusain', 'Mohammed Husain'],
    ['Łukasz Đorđević', 'Lukasz Dordevic'],
    ['Total ₹ 1,250.00', 'Total Rs. 1,250.00'],
    ['“Nil by mouth” – 6 h … •', '“Nil by mouth” – 6 h … •'],
    ['Line one\nLine two', 'Line one\nLine two'],
    ['tab\there\r\n\u0007', 'tab here\n'],
  ])('keeps or folds %j to %j', (input, expected) => {
    expect(toStandardFontText(input)).toBe(expected);
  });

  it('folds a decomposed name the same as a composed one', () => {
    expect(toStandardFontText('S\u0301ri\u0304niva\u0304s')).toBe('Srinivas');
  });

  it('shows a script with no Latin form as question marks, never as raw bytes', () => {
    expect(toStandardFontText('राम Kumar')).toBe('?? Kumar');
    expect(toStandardFontText('முருகன்')).toMatch(/^\?+$/);
  });
});
