import type { Store } from '@newhms/contracts';
import { useState } from 'react';
import { useAuth } from '../../../app/auth/auth-context';
import { useStores } from './use-pharmacy';

// The store a pharmacist works from is remembered per facility on this computer: the counter's machine opens
// on its own store every time.

const key = (facilityId: string | null) => `newhms.pharmacy.store.${facilityId ?? ''}`;

function readChoice(facilityId: string | null): string | null {
  try {
    return window.localStorage.getItem(key(facilityId));
  } catch {
    return null;
  }
}

function writeChoice(facilityId: string | null, storeId: string): void {
  try {
    window.localStorage.setItem(key(facilityId), storeId);
  } catch {
    // Storage may be unavailable (private mode): the choice lasts for this page.
  }
}

/**
 * The chosen store among the active ones that pass `accept` (dispensing stores for the counter): the remembered
 * one, else the first.
 */
export function useChosenStore(accept: (store: Store) => boolean = () => true) {
  const { facilityId } = useAuth();
  const stores = useStores();
  const [chosen, setChosen] = useState<string | null>(() => readChoice(facilityId));
  const options = (stores.data ?? []).filter((s) => s.active && accept(s));
  const storeId = options.some((s) => s.id === chosen) ? chosen : (options[0]?.id ?? null);
  const choose = (id: string) => {
    setChosen(id);
    writeChoice(facilityId, id);
  };
  return { storeId, store: options.find((s) => s.id === storeId) ?? null, options, choose, stores };
}
