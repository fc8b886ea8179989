/* The offer of a batch kept as a draft: restore it (Enter, or scan on) or discard it. */
import type { DraftControl } from '../drafts'
import { fmtDateTime, plural } from '../format'

export function DraftOffer({
  draft,
  what,
  onDone,
}: {
  draft: DraftControl
  what: string
  /** After either answer (focus the scan field). */
  onDone?: () => void
}) {
  const { offer } = draft
  if (!offer) return null
  return (
    <div className="card draft-offer" role="region" aria-label="Unsent draft" data-testid="draft-offer">
      <p>
        <strong>An unsent {what}</strong> of {plural(offer.size, 'unit or line', 'units or lines')} from{' '}
        {fmtDateTime(offer.savedAt)} is kept in this browser. Scanning on adds to it.
      </p>
      <button
        type="button"
        className="button primary"
        onClick={() => {
          draft.accept()
          onDone?.()
        }}
        autoFocus
      >
        Restore the draft
      </button>
      <button
        type="button"
        className="button"
        onClick={() => {
          draft.discard()
          onDone?.()
        }}
      >
        Discard the draft
      </button>
    </div>
  )
}

/** Said when a batch is too large to keep as a draft. */
export function DraftTooLarge({ draft }: { draft: DraftControl }) {
  return draft.isTooLarge ? (
    <p className="hint" role="status">
      This batch is too large to keep as a draft in the browser: send it before leaving the page.
    </p>
  ) : null
}
