/*
 * A batch built by scanning: each scan is checked on entry (a bad one is refused alone, with a beep and
 * the offending serial named, and the batch stays), the tally runs live, and when the final submit is
 * refused the batch is kept and the rows the server names are marked.
 */
import { type KeyboardEvent, type ReactNode, useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react'
import type { Issue } from '../api'
import { fmtInt } from '../format'
import { beep, primeAudio, type Tone } from '../scan/feedback'
import { onHumanKey, useScanTarget } from '../scan/scanner-input'
import { CameraScan } from './CameraScan'

export interface BatchItem {
  /** Identity within the batch (a unit id, or SKU + normalised serial for a receipt). */
  key: string
  serial: string
  sku?: string
  /** What was scanned, as scanned. */
  raw: string
  detail?: string
  state: 'ok' | 'warn' | 'server-error'
  note?: string
  identifiers?: Record<string, string>
  unitId?: string
  /** A scanned container (SSCC or our code): the operation takes its whole contents. */
  container?: string
  /** How many units the scanned container holds (nested ones included). */
  containerUnits?: number
}

export type CheckResult =
  | {
      item: Omit<BatchItem, 'state' | 'raw'> & { state?: 'ok' | 'warn' }
      /** What to scan next, said after "added" (its IMEI). */
      prompt?: string
    }
  /** Refused; `wrongSku` when it is another SKU's barcode or unit (its own tone). */
  | { refuse: string; wrongSku?: boolean }
  /** Completes an item already in the batch (the IMEI scanned after its serial). */
  | { update: { key: string; identifiers: Record<string, string>; note?: string }; text: string }
  /** Accepted but adds nothing yet (an IMEI scanned before its serial). */
  | { info: string }

export interface CheckContext {
  /** Claims a key for this scan; false when the batch already has it (a duplicate). */
  reserve(key: string): boolean
  /** The item already holding a key, for the duplicate message. */
  holder(key: string): BatchItem | undefined
  /** The batch as it is now. */
  items(): readonly BatchItem[]
}

export type Check = (raw: string, ctx: CheckContext) => Promise<CheckResult>

export interface Feedback {
  tone: 'ok' | 'warn' | 'error' | 'info'
  text: string
  /** performance.now() at the Enter that caused this feedback. */
  started?: number
  n: number
}

interface Refusal {
  n: number
  raw: string
  message: string
}

/** The last refusal, kept on screen through a burst of accepted scans until the next refusal or a key press. */
export interface LastRefusal {
  n: number
  message: string
  /** performance.now() when it was shown. */
  at: number
}

export interface ScanBatchOptions {
  /** Checks scans one after another (a serial, then its IMEI), not side by side. */
  sequential?: boolean
  /** Runs before each scan (a draft on offer is taken up by scanning on). */
  beforeScan?: () => void
}

declare global {
  interface Window {
    /** Enter-to-feedback times of scans in this page, in ms (read by the browser tests and for tuning). */
    __slScanTimings?: number[]
    /** The same, taken at the animation frame that paints the feedback. */
    __slScanPaint?: number[]
  }
}

export function useScanBatch(check: Check, options: ScanBatchOptions = {}) {
  const [items, setItems] = useState<BatchItem[]>([])
  const [refusals, setRefusals] = useState<Refusal[]>([])
  const [feedback, setFeedback] = useState<Feedback | undefined>()
  const [lastRefusal, setLastRefusal] = useState<LastRefusal | undefined>()
  const [refusedCount, setRefusedCount] = useState(0)
  const [pending, setPending] = useState(0)
  const itemsRef = useRef<BatchItem[]>([])
  const reserved = useRef(new Set<string>())
  const counter = useRef(0)
  const queue = useRef<Promise<void>>(Promise.resolve())
  // The latest check and options, for scans already in flight (set after render, as refs must be).
  const checkRef = useRef(check)
  const optionsRef = useRef(options)
  useLayoutEffect(() => {
    checkRef.current = check
    optionsRef.current = options
  })
  // A key a person presses dismisses the refusal left on screen (scanner bursts do not).
  useEffect(() => onHumanKey((at) => setLastRefusal((r) => (r && r.at < at ? undefined : r))), [])

  const commit = (next: BatchItem[]) => {
    itemsRef.current = next
    setItems(next)
  }

  const say = useCallback((tone: Feedback['tone'], text: string, started?: number, sound?: Tone) => {
    const n = ++counter.current
    setFeedback({ tone, text, started, n })
    if (sound) beep(sound)
    else if (tone !== 'info') beep(tone)
  }, [])

  const refuse = useCallback(
    (raw: string, message: string, started?: number, wrongSku = false) => {
      say('error', message, started, wrongSku ? 'wrong-sku' : 'error')
      const n = counter.current
      setRefusals((r) => [{ n, raw, message }, ...r].slice(0, 200))
      setRefusedCount((c) => c + 1)
      setLastRefusal({ n, message, at: performance.now() })
    },
    [say],
  )

  /** Checks one scan and adds it, or refuses it alone. */
  const checkAndAdd = useCallback(
    async (raw: string, started: number): Promise<void> => {
      const text = raw.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '')
      if (text === '') return
      const same = itemsRef.current.find((i) => i.raw === text)
      if (same)
        return refuse(
          text,
          `Duplicate: ${same.serial} is already in this batch ` +
            `(#${itemsRef.current.indexOf(same) + 1}); not added again`,
          started,
        )
      setPending((p) => p + 1)
      const mine = new Set<string>()
      const ctx: CheckContext = {
        reserve: (key) => {
          if (reserved.current.has(key) || itemsRef.current.some((i) => i.key === key)) return false
          reserved.current.add(key)
          mine.add(key)
          return true
        },
        holder: (key) => itemsRef.current.find((i) => i.key === key),
        items: () => itemsRef.current,
      }
      try {
        const result = await checkRef.current(text, ctx)
        if ('refuse' in result) return refuse(text, result.refuse, started, result.wrongSku)
        if ('info' in result) return say('info', result.info, started, 'ok')
        if ('update' in result) {
          const { key, identifiers, note } = result.update
          commit(
            itemsRef.current.map((i) =>
              i.key === key ? { ...i, identifiers: { ...i.identifiers, ...identifiers }, note } : i,
            ),
          )
          return say('ok', result.text, started)
        }
        const item: BatchItem = { ...result.item, raw: text, state: result.item.state ?? 'ok' }
        commit([...itemsRef.current, item])
        const n = itemsRef.current.length
        const next = result.prompt ? `; ${result.prompt}` : ''
        if (item.state === 'warn')
          say('warn', `${item.serial} added (#${n}), but ${item.note ?? 'check it'}${next}`, started)
        else say('ok', `${item.serial} added (#${n})${item.detail ? ` · ${item.detail}` : ''}${next}`, started)
      } catch (e) {
        refuse(text, `${text}: could not be checked (${(e as Error).message}); scan it again`, started)
      } finally {
        for (const k of mine) reserved.current.delete(k)
        setPending((p) => p - 1)
      }
    },
    [refuse, say],
  )

  /** Checks a scan and adds it, or refuses it alone (one after another when `sequential`). */
  const scan = useCallback(
    (raw: string, started = performance.now()): Promise<void> => {
      optionsRef.current.beforeScan?.()
      if (!optionsRef.current.sequential) return checkAndAdd(raw, started)
      const next = queue.current.then(() => checkAndAdd(raw, started))
      queue.current = next
      return next
    },
    [checkAndAdd],
  )

  /** Adds many items at once (a pasted list, a range, a CSV), already checked by the caller. */
  const addMany = useCallback(
    (
      list: (Omit<BatchItem, 'state'> & { state?: BatchItem['state'] })[],
      refused: { raw: string; message: string }[] = [],
    ) => {
      const known = new Set(itemsRef.current.map((i) => i.key))
      const added: BatchItem[] = []
      const dupes: { raw: string; message: string }[] = []
      for (const it of list) {
        if (known.has(it.key)) dupes.push({ raw: it.raw, message: `Duplicate: ${it.serial} is already in this batch` })
        else {
          known.add(it.key)
          added.push({ ...it, state: it.state ?? 'ok' })
        }
      }
      commit([...itemsRef.current, ...added])
      const bad = [...refused, ...dupes]
      if (bad.length > 0) {
        setRefusals((r) => [...bad.map((b) => ({ n: ++counter.current, ...b })), ...r].slice(0, 200))
        setRefusedCount((c) => c + bad.length)
        say('error', `${fmtInt(added.length)} added, ${fmtInt(bad.length)} refused (first: ${bad[0]!.message})`)
      } else say('ok', `${fmtInt(added.length)} added`)
    },
    [say],
  )

  const remove = useCallback((key: string) => commit(itemsRef.current.filter((i) => i.key !== key)), [])
  const clear = useCallback(() => {
    commit([])
    setRefusals([])
    setRefusedCount(0)
    setFeedback(undefined)
    setLastRefusal(undefined)
  }, [])
  /** Puts back a batch kept as a draft (its items were checked when they were scanned; the server checks again). */
  const restore = useCallback((kept: BatchItem[]) => {
    const known = new Set(itemsRef.current.map((i) => i.key))
    commit([...kept.filter((i) => !known.has(i.key)), ...itemsRef.current])
  }, [])
  /** Changes one item (a note, identifiers) in place. */
  const update = useCallback((key: string, change: Partial<BatchItem>) => {
    commit(itemsRef.current.map((i) => (i.key === key ? { ...i, ...change } : i)))
  }, [])
  const dismissRefusal = useCallback(() => setLastRefusal(undefined), [])

  /**
   * Marks the rows a refused submit names (problem+json `issues`: row, field, value). `rowOf` maps an
   * issue to the batch index when the value does not name the serial. Returns the serials marked.
   */
  const markIssues = useCallback(
    (
      issues: Issue[],
      rowOf: (issue: Issue) => number | undefined = (i) => (i.row !== undefined ? i.row - 1 : undefined),
    ) => {
      const next = itemsRef.current.map((i) =>
        i.state === 'server-error' ? { ...i, state: 'ok' as const, note: undefined } : i,
      )
      const marked: string[] = []
      for (const issue of issues) {
        const v = issue.value?.toUpperCase()
        let idx =
          v !== undefined ? next.findIndex((i) => i.serial.toUpperCase() === v || i.raw.toUpperCase() === v) : -1
        if (idx < 0) idx = rowOf(issue) ?? -1
        const target = next[idx]
        if (!target) continue
        next[idx] = { ...target, state: 'server-error', note: issue.message }
        marked.push(target.serial)
      }
      commit(next)
      return marked
    },
    [],
  )

  /** Marks a refused submit's rows and says which serials the server refused, keeping the batch. */
  const refusedSubmit = useCallback(
    (issues: Issue[], detail: string, rowOf?: (issue: Issue) => number | undefined) => {
      const marked = markIssues(issues, rowOf)
      const named =
        marked.length > 0
          ? `${marked.slice(0, 5).join(', ')}${marked.length > 5 ? ` and ${marked.length - 5} more` : ''}: ` +
            `${issues[0]?.message ?? detail}`
          : detail
      say(
        'error',
        `Refused — ${named}. Nothing was recorded; the batch is kept` +
          `${marked.length ? ' (refused rows marked below)' : ''}.`,
      )
    },
    [markIssues, say],
  )

  return {
    items,
    refusals,
    /** How many scans were refused in this batch (the list keeps the newest 200). */
    refusedCount,
    feedback,
    lastRefusal,
    pending,
    scan,
    addMany,
    remove,
    clear,
    restore,
    update,
    dismissRefusal,
    markIssues,
    refusedSubmit,
    say,
  }
}

export type ScanBatch = ReturnType<typeof useScanBatch>

/**
 * A scan anywhere on the page (a button focused, the done page, the global box) joins the batch; on the
 * done page, `startNext` first opens the next batch.
 */
export function usePageScans(batch: ScanBatch, field: () => HTMLInputElement | null, startNext?: () => void) {
  useScanTarget((code, started) => {
    startNext?.()
    void batch.scan(code, started)
  }, field)
}

/** The scan field: Enter adds, the field clears at once so the next scan can follow without waiting. */
export function ScanField({
  batch,
  label,
  id,
  hint,
  disabled,
  inputRef,
  onEscape,
}: {
  batch: ScanBatch
  label: string
  id: string
  hint?: string
  disabled?: boolean
  inputRef?: React.RefObject<HTMLInputElement | null>
  /** Escape in the empty field (skip what the field waits for). */
  onEscape?: () => void
}) {
  const [value, setValue] = useState('')
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter' && !e.ctrlKey && !e.metaKey) {
      e.preventDefault()
      const started = performance.now()
      const v = e.currentTarget.value
      setValue('')
      primeAudio()
      void batch.scan(v, started)
    } else if (e.key === 'Escape') {
      if (e.currentTarget.value === '') onEscape?.()
      setValue('')
    }
  }
  return (
    <div className="field scan-field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        ref={inputRef}
        className="scan-input"
        value={value}
        onChange={(e) => setValue(e.target.value)}
        onKeyDown={onKeyDown}
        autoComplete="off"
        autoCapitalize="off"
        spellCheck={false}
        inputMode="text"
        enterKeyHint="enter"
        disabled={disabled}
        aria-describedby={`${id}-hint`}
      />
      <CameraScan
        disabled={disabled}
        onScan={(text) => {
          primeAudio()
          void batch.scan(text, performance.now())
        }}
      />
      <small id={`${id}-hint`} className="hint">
        {hint ?? 'Scan or type a serial, IMEI or GS1 barcode and press Enter.'}
      </small>
    </div>
  )
}

export function FeedbackLine({ feedback, pending }: { feedback?: Feedback; pending: number }) {
  // Enter-to-feedback time: when the feedback is in the DOM, and at the frame that paints it.
  useLayoutEffect(() => {
    const started = feedback?.started
    if (started === undefined) return
    ;(window.__slScanTimings ??= []).push(performance.now() - started)
    requestAnimationFrame(() => (window.__slScanPaint ??= []).push(performance.now() - started))
  }, [feedback])
  return (
    <div
      className={`feedback ${feedback ? `feedback-${feedback.tone}` : 'feedback-idle'}`}
      role={feedback?.tone === 'error' ? 'alert' : 'status'}
      aria-live={feedback?.tone === 'error' ? 'assertive' : 'polite'}
      data-testid="scan-feedback"
      data-n={feedback?.n ?? 0}
    >
      <span className="feedback-icon" aria-hidden="true">
        {!feedback
          ? '·'
          : feedback.tone === 'ok'
            ? '✓'
            : feedback.tone === 'error'
              ? '✗'
              : feedback.tone === 'warn'
                ? '!'
                : 'i'}
      </span>
      <span className="feedback-text">{feedback ? feedback.text : 'Ready to scan'}</span>
      {pending > 0 && <span className="feedback-pending"> · checking {pending}…</span>}
    </div>
  )
}

/**
 * The last refusal of a burst, left on screen while accepted scans go on, until the next refusal or a
 * key a person presses (or Dismiss).
 */
export function LastRefusalLine({ batch }: { batch: ScanBatch }) {
  const r = batch.lastRefusal
  if (!r || batch.feedback?.n === r.n) return null
  return (
    <div className="last-refusal" role="alert" data-testid="last-refusal">
      <span className="feedback-icon" aria-hidden="true">
        ✗
      </span>{' '}
      <span>Last refused: {r.message}</span>{' '}
      <button type="button" className="link-button" onClick={batch.dismissRefusal}>
        Dismiss
      </button>
    </div>
  )
}

/** What stays in view while scanning (sticky on a long batch): the feedback, the last refusal, the tally. */
export function ScanStatus({ children }: { children: ReactNode }) {
  return <div className="scan-status">{children}</div>
}

export function Tally({ children }: { children: ReactNode }) {
  return (
    <div className="tally" aria-live="polite">
      {children}
    </div>
  )
}

export function TallyItem({ label, value, tone }: { label: string; value: number; tone?: 'ok' | 'warn' | 'error' }) {
  return (
    <div className={`tally-item${tone ? ` tally-${tone}` : ''}`}>
      <span className="tally-value" data-testid={`tally-${label.toLowerCase().replace(/\s+/g, '-')}`}>
        {fmtInt(value)}
      </span>
      <span className="tally-label">{label}</span>
    </div>
  )
}

const SHOWN = 200

/** The batch, newest first; a row the server refused is marked with its reason. */
export function BatchList({
  batch,
  columns,
  scanInput,
}: {
  batch: ScanBatch
  columns?: (item: BatchItem) => ReactNode
  /** Where focus goes after Remove, so the next scan lands in the scan field. */
  scanInput?: React.RefObject<HTMLInputElement | null>
}) {
  const { items, refusals } = batch
  const shown = items.slice(-SHOWN).reverse()
  return (
    <div className="batch">
      {refusals.length > 0 && (
        <details className="refusals" open={refusals.length <= 5}>
          <summary>
            {fmtInt(batch.refusedCount)} refused scan{batch.refusedCount === 1 ? '' : 's'} (not in the batch)
          </summary>
          <ul>
            {refusals.slice(0, 50).map((r) => (
              <li key={r.n}>
                <code>{r.raw.replaceAll('\x1d', '<GS>')}</code> — {r.message}
              </li>
            ))}
          </ul>
        </details>
      )}
      {items.length === 0 ? (
        <p className="empty">Nothing scanned yet.</p>
      ) : (
        <table className="table batch-table">
          <caption className="visually-hidden">Scanned units, newest first</caption>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Serial</th>
              <th scope="col">Details</th>
              <th scope="col">
                <span className="visually-hidden">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {shown.map((item) => {
              const n = items.indexOf(item) + 1
              return (
                <tr key={item.key} className={`row-${item.state}`} data-serial={item.serial}>
                  <td>{n}</td>
                  <td>
                    <code>{item.serial}</code>
                    {item.sku && <span className="muted"> {item.sku}</span>}
                  </td>
                  <td>
                    {columns?.(item) ?? item.detail}
                    {item.note && (
                      <div className={item.state === 'server-error' ? 'row-error-note' : 'row-note'}>{item.note}</div>
                    )}
                  </td>
                  <td>
                    <button
                      type="button"
                      className="link-button"
                      onClick={() => {
                        batch.remove(item.key)
                        scanInput?.current?.focus()
                      }}
                      aria-label={`Remove ${item.serial}`}
                    >
                      Remove
                    </button>
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      )}
      {items.length > SHOWN && (
        <p className="muted">
          Showing the newest {SHOWN} of {fmtInt(items.length)}.
        </p>
      )}
    </div>
  )
}

/**
 * Under the batch: its submit button (`label`; Ctrl+Enter submits too, see useSubmitShortcut) and, once
 * something is scanned, Clear, which asks first (`Clear 3 scanned units?`), empties the batch, then runs
 * `onClear` (forgetting the saved draft).
 */
export function SubmitRow({
  batch,
  label,
  disabled,
  onSubmit,
  scanned,
  onClear,
}: {
  batch: ScanBatch
  label: ReactNode
  disabled: boolean
  onSubmit: () => void
  /** What the batch holds, as the question before clearing names it: `units`, `serials`. */
  scanned: string
  onClear: () => void
}) {
  return (
    <div className="submit-row">
      <button className="button primary" type="button" onClick={onSubmit} disabled={disabled}>
        {label}
      </button>
      <span className="hint">Ctrl+Enter</span>
      {batch.items.length > 0 && (
        <button
          className="button"
          type="button"
          onClick={() => {
            if (!confirm(`Clear ${batch.items.length} scanned ${scanned}?`)) return
            batch.clear()
            onClear()
          }}
        >
          Clear
        </button>
      )}
    </div>
  )
}

/** Ctrl+Enter (⌘+Enter) anywhere on the page submits. */
export function useSubmitShortcut(submit: () => void, enabled: boolean) {
  const ref = useRef(submit)
  useLayoutEffect(() => {
    ref.current = submit
  })
  useEffect(() => {
    if (!enabled) return
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
        e.preventDefault()
        ref.current()
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [enabled])
}
