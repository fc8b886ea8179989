/*
 * A header field that takes a code the way the clerk has it: typed, picked from the list (which shows
 * names and codes), a name, or a scanned label or product barcode. Enter or leaving the field resolves it
 * at once: the field then holds the code and says what it is, or says why nothing matched; Enter then
 * moves on to the next field still empty, and from the last one to the scan field.
 */
import { type KeyboardEvent, useEffect, useId, useRef, useState } from 'react'
import type { Resolution } from '../header-fields'
import { FieldHint, FieldLabel, Suggestions, type TextFieldProps } from './ui'

/** `options` are the picker's entries: code, and the name shown next to it. */
export interface CodeFieldProps extends TextFieldProps {
  /** What the typed text names; runs on Enter and when the field is left. */
  resolve: (text: string) => Resolution
  /** Enter on a resolved value: where focus goes next. */
  onEnter?: () => void
}

export function CodeField(props: CodeFieldProps) {
  const { label, value, onChange, resolve, options, required, hint, autoFocus, onEnter } = props
  const auto = useId()
  const fid = props.id ?? auto
  const [state, setState] = useState<{ for: string; r: Resolution } | undefined>()
  const shown = state && state.for === value ? state.r : undefined

  const settle = (): Resolution | undefined => {
    if (!value.trim()) {
      setState(undefined)
      return undefined
    }
    // Already resolved (Enter, then leaving the field): keep saying what it is.
    if (state && state.for === value && state.r.ok) return state.r
    const r = resolve(value)
    const next = r.ok ? r.code : value
    // A code typed as it is needs no confirming line (a line appearing under the field as focus leaves
    // it would move what the pointer is about to click); a name or barcode turned into a code gets one.
    setState(r.ok && next === value ? undefined : { for: next, r })
    if (r.ok && next !== value) onChange(next)
    return r
  }
  const input = useRef<HTMLInputElement>(null)
  // Enter was refused on this value: if it resolves later, Enter's move on is still owed.
  const owedEnter = useRef<string | undefined>(undefined)
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key !== 'Enter' || e.ctrlKey || e.metaKey) return
    e.preventDefault()
    const r = settle()
    owedEnter.current = r && !r.ok ? value : undefined
    if (r?.ok || (!r && !required)) onEnter?.()
  }
  // A scan can arrive before the list it names has loaded (a label scanned as the screen opens): once the
  // list is there (`resolve` changes with it), a refused value is tried again, and if it now resolves it
  // is taken, and Enter's move on happens if the field still has the focus.
  const late = state && state.for === value && !state.r.ok ? resolve(value) : undefined
  useEffect(() => {
    if (!late?.ok) return
    // Taken after this render (not inside it): the field's value belongs to the parent.
    const taking = setTimeout(() => {
      setState(late.code === value ? undefined : { for: late.code, r: late })
      if (late.code !== value) onChange(late.code)
      if (owedEnter.current === value && document.activeElement === input.current) onEnter?.()
      owedEnter.current = undefined
    })
    return () => clearTimeout(taking)
  }, [late, value, onChange, onEnter])
  const error = shown && !shown.ok ? shown.message : undefined
  const describedBy = [hint && `${fid}-hint`, `${fid}-status`].filter(Boolean).join(' ')
  return (
    <div className={`field code-field${error ? ' has-error' : ''}`}>
      <FieldLabel htmlFor={fid} label={label} required={required} />
      <input
        id={fid}
        ref={input}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        onKeyDown={onKeyDown}
        onBlur={() => void settle()}
        list={options ? `${fid}-list` : undefined}
        required={required}
        aria-required={required}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        autoComplete="off"
        autoCapitalize="off"
        spellCheck={false}
        autoFocus={autoFocus}
      />
      {options && <Suggestions id={`${fid}-list`} options={options} />}
      <small
        id={`${fid}-status`}
        className={error ? 'field-error' : 'hint field-resolved'}
        role={error ? 'alert' : undefined}
      >
        {error ?? (shown?.ok ? `✓ ${shown.label}` : '')}
      </small>
      <FieldHint fieldId={fid} hint={hint} />
    </div>
  )
}

/** Whether typing now goes into this element (a field, not a button or the page). */
export const isTypingField = (el: Element | null): boolean =>
  el instanceof HTMLElement &&
  (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable)

/**
 * Focuses the scan field once React has rendered what a click changed (the next tick), unless the clerk
 * has put the cursor in a field meanwhile: what they type then stays where they put it. Unguarded, an
 * order reference typed straight after "Discard the draft", and a transfer number typed straight after
 * "Next batch", landed in the scan field (the number's field stayed empty and the receipt was refused).
 */
export function focusScanSoon(scanField: () => HTMLElement | null | undefined): void {
  setTimeout(() => {
    if (!isTypingField(document.activeElement)) scanField()?.focus()
  }, 0)
}

/**
 * Focuses the first of these inputs that is still empty, or else `last` (the scan field), waiting a few
 * frames for it when it is still disabled (it is enabled by the value just set).
 */
export function focusNextEmpty(ids: readonly string[], last: HTMLElement | null | undefined, tries = 10): void {
  const empty = ids
    .map((id) => document.getElementById(id))
    .find((el): el is HTMLInputElement => el instanceof HTMLInputElement && el.value.trim() === '')
  const target = empty ?? last
  if (target instanceof HTMLInputElement && target.disabled && tries > 0)
    requestAnimationFrame(() => focusNextEmpty(ids, last, tries - 1))
  else target?.focus()
}
