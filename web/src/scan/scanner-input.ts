/*
 * Scanner input wherever focus is. A keyboard-wedge scanner types fast (a few ms per key) and ends with
 * Enter; a person types ten times slower. On an operation page such a burst belongs to the page's batch:
 * when focus is on a button (after Remove, "Next batch"), on the page itself or in the global scan box,
 * the burst is taken from there (its Enter does not press the button or submit the box) and handed to
 * the page's scan. A burst into one of the page's own text fields stays there (a header set by scanning).
 * Keys a person presses (not part of a burst) are announced too: they dismiss a refusal left on screen.
 */
import { useEffect, useLayoutEffect, useRef } from 'react'

/**
 * Scanners send a key every 2–30 ms, people every 100 ms or more. A burst is keys at most SCAN_GAP_MS
 * apart (one late key on a busy machine does not break it) whose median gap is at most SCAN_MEDIAN_MS.
 */
export const SCAN_GAP_MS = 100
const SCAN_MEDIAN_MS = 40
/** The shortest code taken for a scan. */
const MIN_SCAN_LENGTH = 3
/** Fired on the global scan box when a burst typed into it went to the page's batch instead. */
export const SCAN_ROUTED_EVENT = 'sl:scan-routed'

export interface ScanTarget {
  /** Adds a scan to the page's batch (`started` is performance.now() at its Enter). */
  scan(code: string, started: number): void
  /** The page's own scan field, when it is on screen (its Enter is its own). */
  field(): HTMLInputElement | null
}

let target: ScanTarget | undefined
let buffer = ''
/** The gaps between the keys of `buffer`. */
let gaps: number[] = []
let last = -Infinity
let loneKeyTimer: ReturnType<typeof setTimeout> | undefined
const humanKeyListeners = new Set<(at: number) => void>()

const isTextEntry = (el: Element | null): boolean =>
  !!el &&
  ((el.tagName === 'INPUT' &&
    !['button', 'submit', 'reset', 'checkbox', 'radio', 'file'].includes((el as HTMLInputElement).type)) ||
    el.tagName === 'TEXTAREA' ||
    el.tagName === 'SELECT' ||
    (el as HTMLElement).isContentEditable)

/** Whether a key was pressed by a person: no other key within a scanner's gap before or after it. */
function watchLoneKey(now: number, startsSequence: boolean): void {
  clearTimeout(loneKeyTimer)
  if (!startsSequence) return
  loneKeyTimer = setTimeout(() => {
    if (last === now) for (const l of humanKeyListeners) l(now)
  }, SCAN_GAP_MS + 15)
}

function onKeyDown(e: KeyboardEvent): void {
  const now = performance.now()
  const gap = now - last
  if (e.key === 'Shift' || e.key === 'CapsLock') return
  const startsSequence = gap > SCAN_GAP_MS
  if (e.key === 'Enter' && !e.ctrlKey && !e.metaKey && !e.altKey) {
    const code = buffer
    const all = [...gaps, gap].sort((a, b) => a - b)
    buffer = ''
    gaps = []
    last = now
    watchLoneKey(now, startsSequence)
    const isBurst = !startsSequence && all[Math.floor(all.length / 2)]! <= SCAN_MEDIAN_MS
    if (!isBurst || code.length < MIN_SCAN_LENGTH || !target) return
    const el = e.target instanceof Element ? e.target : null
    const field = target.field()
    if (field && el === field) return
    const fromGlobalBox = el?.id === 'global-scan'
    if (isTextEntry(el) && !fromGlobalBox) return
    e.preventDefault()
    e.stopImmediatePropagation()
    if (fromGlobalBox) el.dispatchEvent(new Event(SCAN_ROUTED_EVENT, { bubbles: true }))
    field?.focus()
    target.scan(code, now)
    return
  }
  if (e.key.length === 1 && !e.ctrlKey && !e.metaKey && !e.altKey) {
    buffer = startsSequence ? e.key : buffer + e.key
    gaps = startsSequence ? [] : [...gaps, gap]
    // Mid-burst, a '/' (a GS1 Digital Link) must not jump to the global scan box.
    if (!startsSequence && e.key === '/' && target && !isTextEntry(e.target as Element | null)) {
      e.preventDefault()
      e.stopImmediatePropagation()
    }
  } else {
    buffer = ''
    gaps = []
  }
  last = now
  watchLoneKey(now, startsSequence)
}

if (typeof window !== 'undefined') window.addEventListener('keydown', onKeyDown, true)

/** Makes the page's batch the destination of scanner bursts while the page is open. */
export function useScanTarget(scan: ScanTarget['scan'], field: ScanTarget['field']): void {
  const ref = useRef({ scan, field })
  useLayoutEffect(() => {
    ref.current = { scan, field }
  })
  useEffect(() => {
    const mine: ScanTarget = {
      scan: (code, started) => ref.current.scan(code, started),
      field: () => ref.current.field(),
    }
    target = mine
    return () => {
      if (target === mine) target = undefined
    }
  }, [])
}

/**
 * Calls `listener` with the key's time (performance.now()) when a person presses a key: one not part
 * of a scanner burst, known a scanner's gap after it.
 */
export function onHumanKey(listener: (at: number) => void): () => void {
  humanKeyListeners.add(listener)
  return () => {
    humanKeyListeners.delete(listener)
  }
}
