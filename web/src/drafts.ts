/*
 * A batch in progress, kept in this browser (localStorage, per user and operation) so a reload, Back, a
 * menu link or a scan that opens a unit loses nothing: the page offers it on return, and leaving a page
 * with an unsent batch asks first. A draft is removed when its batch is sent, cleared or discarded.
 */
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react'
import { setLeaveGuard } from './router'

/** Batches larger than this are not kept (localStorage holds a few megabytes). */
export const MAX_DRAFT_ITEMS = 5000
/** How long after the last change a draft is written (a burst of scans writes it once). */
const SAVE_DELAY_MS = 300

export interface Draft<T> {
  /** ISO time of the last change. */
  savedAt: string
  /** How many units and lines it holds, for the offer. */
  size: number
  data: T
}

const storageKey = (user: string, operation: string) => `sl-draft:v1:${user}:${operation}`

export function loadDraft<T>(user: string, operation: string): Draft<T> | undefined {
  try {
    const text = localStorage.getItem(storageKey(user, operation))
    return text ? (JSON.parse(text) as Draft<T>) : undefined
  } catch {
    return undefined
  }
}

/** Keeps a draft; false when it is too large or the storage is full (the page says so). */
export function saveDraft<T>(user: string, operation: string, draft: Draft<T>): boolean {
  if (draft.size > MAX_DRAFT_ITEMS) return false
  try {
    localStorage.setItem(storageKey(user, operation), JSON.stringify(draft))
    return true
  } catch {
    return false
  }
}

export function dropDraft(user: string, operation: string): void {
  try {
    localStorage.removeItem(storageKey(user, operation))
  } catch {
    // Storage unavailable: there is nothing to remove.
  }
}

export interface DraftOptions<T> {
  /** Whose draft (the signed-in user), and of which operation. */
  user: string | undefined
  operation: string
  /** What to keep now, with its size; undefined when there is nothing unsent. */
  current: { data: T; size: number } | undefined
  /** Puts a kept draft back into the page. */
  restore: (data: T) => void
  /** The question asked before the page is left with unsent work. */
  leaveQuestion: string
}

/**
 * Keeps the page's unsent batch as a draft and offers a kept one on return. While a draft is on offer
 * nothing is written (the page is still empty); restoring or discarding it ends the offer.
 */
export function useDraft<T>({ user, operation, current, restore, leaveQuestion }: DraftOptions<T>) {
  const [offer, setOffer] = useState<Draft<T> | undefined>(() => (user ? loadDraft<T>(user, operation) : undefined))
  const [isTooLarge, setTooLarge] = useState(false)
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined)
  const write = () => {
    clearTimeout(timer.current)
    timer.current = undefined
    const { current: now } = latest.current
    if (!user || latest.current.offer) return
    if (!now) return dropDraft(user, operation)
    setTooLarge(!saveDraft(user, operation, { savedAt: new Date().toISOString(), size: now.size, data: now.data }))
  }
  const latest = useRef({ current, restore, offer, leaveQuestion, write })
  /** Whether the offer was answered (a burst of scans may ask before the page shows the answer). */
  const answered = useRef(false)
  useLayoutEffect(() => {
    latest.current = { current, restore, offer, leaveQuestion, write }
  })

  // Written shortly after each change, and at once when the page goes away (unmount, reload, tab closed).
  useEffect(() => {
    if (offer) return
    clearTimeout(timer.current)
    timer.current = setTimeout(() => latest.current.write(), SAVE_DELAY_MS)
  })
  useEffect(() => {
    const flush = () => timer.current !== undefined && latest.current.write()
    window.addEventListener('pagehide', flush)
    window.addEventListener('beforeunload', flush)
    const release = setLeaveGuard(() => (latest.current.current ? latest.current.leaveQuestion : undefined))
    return () => {
      flush()
      window.removeEventListener('pagehide', flush)
      window.removeEventListener('beforeunload', flush)
      release()
    }
  }, [])

  /** Puts the kept batch back (scanning on while it is offered does this too). */
  const accept = useCallback(() => {
    if (!offer || answered.current) return
    answered.current = true
    setOffer(undefined)
    latest.current.restore(offer.data)
  }, [offer])
  const discard = useCallback(() => {
    answered.current = true
    setOffer(undefined)
    if (user) dropDraft(user, operation)
  }, [user, operation])
  /** The batch was sent or cleared: nothing to keep. */
  const forget = useCallback(() => {
    clearTimeout(timer.current)
    timer.current = undefined
    if (user) dropDraft(user, operation)
  }, [user, operation])

  return { offer, isTooLarge, accept, discard, forget }
}

export type DraftControl = ReturnType<typeof useDraft>
