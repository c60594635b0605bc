import { describe, expect, it } from 'vitest';
import { formatMinutes, tatStanding } from './lab-time';

describe('turnaround times on screen', () => {
  it('writes minutes and hours', () => {
    expect(formatMinutes(0)).toBe('0 min');
    expect(formatMinutes(45)).toBe('45 min');
    expect(formatMinutes(59.6)).toBe('1 h');
    expect(formatMinutes(60)).toBe('1 h');
    expect(formatMinutes(125)).toBe('2 h 05 min');
    expect(formatMinutes(null)).toBe('—');
  });

  it('says how late a sample is, or how long is left, against its target', () => {
    expect(tatStanding(50, 30)).toEqual({ late: true, text: 'Late by 20 min' });
    expect(tatStanding(30, 30)).toEqual({ late: false, text: '0 min left' });
    expect(tatStanding(10, 120)).toEqual({ late: false, text: '1 h 50 min left' });
  });
});
