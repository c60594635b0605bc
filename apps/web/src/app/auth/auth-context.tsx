import type { Me, TokenResponse } from '@newhms/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import {
  ApiError,
  api,
  refreshAccessToken,
  setAccessToken,
  setFacilityHeader,
  setSessionListener,
} from '../api-client';

const FACILITY_KEY = 'newhms.facilityId';

type Status = 'restoring' | 'signed-out' | 'signed-in';

export type AuthContextValue = {
  status: Status;
  /** Why the person was sent back to the sign-in screen, if it was not their own choice. */
  signedOutReason: string | null;
  me: Me | undefined;
  meError: unknown;
  facilityId: string | null;
  passwordChangeRequired: boolean;
  signIn: (tokens: TokenResponse) => void;
  signOut: () => Promise<void>;
  chooseFacility: (facilityId: string) => void;
  passwordChanged: () => Promise<void>;
  can: (permission: string) => boolean;
};

const AuthContext = createContext<AuthContextValue | null>(null);

function storedFacility(): string | null {
  try {
    return window.localStorage.getItem(FACILITY_KEY);
  } catch {
    return null;
  }
}

function storeFacility(id: string | null): void {
  try {
    if (id) window.localStorage.setItem(FACILITY_KEY, id);
    else window.localStorage.removeItem(FACILITY_KEY);
  } catch {
    // Storage may be unavailable (private mode); the choice then lasts for this page only.
  }
}

export const meQueryKey = (facilityId: string | null) => ['auth', 'me', facilityId] as const;

export function AuthProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<Status>('restoring');
  const [signedOutReason, setSignedOutReason] = useState<string | null>(null);
  const [passwordChangeRequired, setPasswordChangeRequired] = useState(false);
  const [facilityId, setFacilityId] = useState<string | null>(() => {
    const id = storedFacility();
    setFacilityHeader(id);
    return id;
  });

  const endSession = useCallback(
    (reason: string | null) => {
      setAccessToken(null);
      setStatus('signed-out');
      setSignedOutReason(reason);
      setPasswordChangeRequired(false);
      queryClient.clear();
    },
    [queryClient],
  );

  useEffect(() => {
    setSessionListener({
      onTokens: (tokens) => {
        if (tokens.passwordChangeRequired) setPasswordChangeRequired(true);
      },
      onSessionEnded: () => endSession('Your session has ended. Sign in again.'),
      onPasswordChangeRequired: () => setPasswordChangeRequired(true),
    });
    return () => setSessionListener(null);
  }, [endSession]);

  // Restore a session from the refresh cookie when the app loads.
  useEffect(() => {
    let cancelled = false;
    void refreshAccessToken().then((tokens) => {
      if (cancelled) return;
      if (tokens) {
        setPasswordChangeRequired(tokens.passwordChangeRequired === true);
        setStatus('signed-in');
      } else {
        setStatus('signed-out');
      }
    });
    return () => {
      cancelled = true;
    };
  }, []);

  const meQuery = useQuery({
    queryKey: meQueryKey(facilityId),
    queryFn: ({ signal }) => api.get<Me>('/auth/me', undefined, signal),
    enabled: status === 'signed-in',
    staleTime: 60_000,
    retry: false,
  });

  const chooseFacility = useCallback(
    (id: string | null) => {
      setFacilityHeader(id);
      storeFacility(id);
      setFacilityId(id);
      // Everything shown belongs to a facility: fetch it again for the new one.
      void queryClient.invalidateQueries({ predicate: (q) => q.queryKey[0] !== 'auth' });
    },
    [queryClient],
  );

  // A remembered facility the user no longer has a role in: fall back to the server's default.
  useEffect(() => {
    const err = meQuery.error;
    if (err instanceof ApiError && err.code === 'ACCESS_FACILITY_DENIED' && facilityId) chooseFacility(null);
  }, [meQuery.error, facilityId, chooseFacility]);

  // Remember the facility the server chose so that every later call names it explicitly.
  useEffect(() => {
    const me = meQuery.data;
    if (me && !facilityId && me.facilityId) {
      setFacilityHeader(me.facilityId);
      storeFacility(me.facilityId);
      queryClient.setQueryData(meQueryKey(me.facilityId), me);
      setFacilityId(me.facilityId);
    }
  }, [meQuery.data, facilityId, queryClient]);

  const signIn = useCallback(
    (tokens: TokenResponse) => {
      setAccessToken(tokens.accessToken);
      setSignedOutReason(null);
      setPasswordChangeRequired(tokens.passwordChangeRequired === true);
      queryClient.clear();
      setStatus('signed-in');
    },
    [queryClient],
  );

  const signOut = useCallback(async () => {
    try {
      await api.post('/auth/logout', {}, { skipRefresh: true });
    } catch {
      // Signing out locally still matters when the server cannot be reached.
    }
    endSession(null);
  }, [endSession]);

  const passwordChanged = useCallback(async () => {
    await queryClient.invalidateQueries({ queryKey: ['auth'] });
    setPasswordChangeRequired(false);
  }, [queryClient]);

  const me = meQuery.data;
  const value = useMemo<AuthContextValue>(() => {
    const permissions = new Set(me?.permissions ?? []);
    return {
      status,
      signedOutReason,
      me,
      meError: meQuery.error,
      facilityId: facilityId ?? me?.facilityId ?? null,
      passwordChangeRequired: passwordChangeRequired || me?.passwordChangeRequired === true,
      signIn,
      signOut,
      chooseFacility,
      passwordChanged,
      can: (permission: string) => permissions.has(permission),
    };
  }, [
    status,
    signedOutReason,
    me,
    meQuery.error,
    facilityId,
    passwordChangeRequired,
    signIn,
    signOut,
    chooseFacility,
    passwordChanged,
  ]);

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthContextValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth must be used inside <AuthProvider>');
  return value;
}
