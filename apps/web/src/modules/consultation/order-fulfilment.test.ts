import type { Order } from '@newhms/contracts';
import { describe, expect, it } from 'vitest';
import { awaitsDepartment, fulfilmentView } from './order-fulfilment';

const order = (over: Partial<Order>): Order => ({
  id: '00000000-0000-4000-8000-000000000001',
  encounterId: '00000000-0000-4000-8000-000000000002',
  patientId: '00000000-0000-4000-8000-000000000003',
  category: 'laboratory',
  code: 'K',
  system: null,
  display: 'Potassium',
  priority: 'routine',
  status: 'active',
  note: null,
  requestedBy: 'Dr A',
  requestedAt: '2026-01-27T09:00:00.000Z',
  cancelReason: null,
  fulfilmentStatus: 'pending',
  fulfilmentNote: null,
  fulfilmentUpdatedAt: null,
  fulfilledAt: null,
  version: 1,
  ...over,
});

describe('fulfilmentView', () => {
  it('says an order the lab has not answered yet is ordered', () => {
    expect(fulfilmentView(order({}))).toEqual({ label: 'Ordered', tone: 'neutral', detail: null });
  });

  it('names the accession numbers of an accepted lab or imaging order', () => {
    const lab = order({ fulfilmentStatus: 'accepted', fulfilmentNote: 'Laboratory request; tubes L01, L02' });
    expect(fulfilmentView(lab)?.label).toBe('Accepted (L01, L02)');
    const rad = order({
      category: 'imaging',
      fulfilmentStatus: 'accepted',
      fulfilmentNote: 'Radiology accession R0000007',
    });
    expect(fulfilmentView(rad)?.label).toBe('Accepted (R0000007)');
    expect(fulfilmentView(order({ fulfilmentStatus: 'accepted' }))?.label).toBe('Accepted');
  });

  it('warns in words, with the reason, when the department did not take the order', () => {
    const lab = order({
      fulfilmentStatus: 'not-matched',
      fulfilmentNote: 'No test "Vitamin Q" in the catalog',
    });
    expect(fulfilmentView(lab)).toEqual({
      label: 'Not accepted by lab',
      tone: 'warning',
      detail: 'No test "Vitamin Q" in the catalog',
    });
    const rad = order({ category: 'imaging', fulfilmentStatus: 'not-matched', fulfilmentNote: null });
    // Without the department's reason the warning still says why, never an empty chip.
    expect(fulfilmentView(rad)).toEqual({
      label: 'Not accepted by radiology',
      tone: 'warning',
      detail: 'No such test or procedure in the catalog',
    });
  });

  it('follows the sample, the study and the result', () => {
    expect(fulfilmentView(order({ fulfilmentStatus: 'collected' }))?.label).toBe('Sample collected');
    expect(fulfilmentView(order({ category: 'imaging', fulfilmentStatus: 'in-progress' }))?.label).toBe(
      'In progress',
    );
    expect(fulfilmentView(order({ category: 'imaging', fulfilmentStatus: 'performed' }))?.label).toBe(
      'Performed',
    );
    expect(fulfilmentView(order({ status: 'completed', fulfilmentStatus: 'resulted' }))).toMatchObject({
      label: 'Resulted',
      tone: 'done',
    });
  });

  it('shows nothing for a procedure or a withdrawn order no department answered', () => {
    expect(fulfilmentView(order({ category: 'procedure' }))).toBeNull();
    expect(fulfilmentView(order({ status: 'cancelled' }))).toBeNull();
    expect(fulfilmentView(order({ status: 'cancelled', fulfilmentStatus: 'not-matched' }))).toBeNull();
    expect(fulfilmentView(order({ status: 'cancelled', fulfilmentStatus: 'collected' }))?.label).toBe(
      'Sample collected',
    );
  });
});

describe('awaitsDepartment', () => {
  it('is true while the lab or radiology may still move an active order on', () => {
    expect(awaitsDepartment(order({}))).toBe(true);
    expect(awaitsDepartment(order({ fulfilmentStatus: 'collected' }))).toBe(true);
    expect(awaitsDepartment(order({ status: 'completed', fulfilmentStatus: 'resulted' }))).toBe(false);
    expect(awaitsDepartment(order({ fulfilmentStatus: 'not-matched' }))).toBe(false);
    expect(awaitsDepartment(order({ category: 'procedure' }))).toBe(false);
    expect(awaitsDepartment(order({ status: 'cancelled' }))).toBe(false);
  });
});
