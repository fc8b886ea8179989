/*
 * An operation's header (its fields and lot or quantity lines). On a phone, once every required field is
 * set and focus has moved on to the scan field, it folds into one summary line so the scan field stays in
 * view without scrolling; "Change" (or focusing any of its fields) opens it again.
 */
import { type ReactNode, useState } from 'react'

export function OpHeader({
  isSet,
  summary,
  children,
  firstFieldId,
}: {
  /** Whether every required field has a value. */
  isSet: boolean
  /** The values in one line: `To WH-A · Reason: recount`. */
  summary: string
  /** The field "Change" focuses. */
  firstFieldId?: string
  children: ReactNode
}) {
  // Opened by "Change" until focus leaves the header again.
  const [isOpen, setOpen] = useState(false)
  return (
    <div
      className={`op-header${isSet && !isOpen ? ' is-set' : ''}`}
      data-testid="op-header"
      onBlur={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setOpen(false)
      }}
    >
      <div className="op-summary">
        <span className="op-summary-text">{summary || 'No details'}</span>
        <button
          type="button"
          className="button"
          // Keep focus where it is until the click: focusing the button would unfold the header under it.
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => {
            setOpen(true)
            setTimeout(() => firstFieldId && document.getElementById(firstFieldId)?.focus(), 0)
          }}
        >
          Change
        </button>
      </div>
      <div className="op-fields">{children}</div>
    </div>
  )
}
