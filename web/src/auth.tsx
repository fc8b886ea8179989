/* Who is signed in, what their role may do, and the sign-in / sign-out actions. */
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react'
import { ROLE_PERMISSIONS, type Permission } from '../../src/modules/accounts/roles.rules'
import { api, ApiError, onPasswordChangeRequired, onUnauthorized } from './api'
import type { User } from './types'

export type { Permission }

export interface Auth {
  status: 'loading' | 'signed-out' | 'signed-in'
  user?: User
  /** Whether the user's role holds a permission (the same table the server enforces). */
  can(p: Permission): boolean
  signIn(username: string, password: string): Promise<User>
  signOut(): Promise<void>
  refresh(): Promise<void>
}

const AuthContext = createContext<Auth | null>(null)

export function AuthProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<Auth['status']>('loading')
  const [user, setUser] = useState<User | undefined>()

  const refresh = useCallback(
    () =>
      api.me().then(
        (me) => {
          setUser(me.user)
          setStatus('signed-in')
        },
        (e: unknown) => {
          if (e instanceof ApiError && (e.status === 401 || e.status === 403)) {
            setUser(undefined)
            setStatus('signed-out')
          } else {
            // The server is unreachable: stay on what we know and let pages show their own errors.
            setStatus((s) => (s === 'loading' ? 'signed-out' : s))
          }
        },
      ),
    [],
  )

  useEffect(() => {
    void refresh()
    const off1 = onUnauthorized(() => {
      setUser(undefined)
      setStatus('signed-out')
    })
    const off2 = onPasswordChangeRequired(() => setUser((u) => (u ? { ...u, mustChangePassword: true } : u)))
    return () => {
      off1()
      off2()
    }
  }, [refresh])

  const value = useMemo<Auth>(
    () => ({
      status,
      user,
      can: (p) => !!user && !user.mustChangePassword && ROLE_PERMISSIONS[user.role].includes(p),
      signIn: async (username, password) => {
        const me = await api.login(username, password)
        setUser(me.user)
        setStatus('signed-in')
        return me.user
      },
      signOut: async () => {
        try {
          await api.logout()
        } finally {
          setUser(undefined)
          setStatus('signed-out')
        }
      },
      refresh,
    }),
    [status, user, refresh],
  )
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>
}

export function useAuth(): Auth {
  const a = useContext(AuthContext)
  if (!a) throw new Error('useAuth outside AuthProvider')
  return a
}
