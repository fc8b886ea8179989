import { useState } from 'react'

/**
 * A list's filter form over what its URL applies: the draft starts from `applied`, and again whenever the
 * URL (`href`) changes (Back, a link), so the form always shows what the list below shows.
 */
export function useUrlDraft<F>(applied: F, href: string): [F, (draft: F) => void] {
  const [draft, setDraft] = useState<F>(applied)
  const [draftFor, setDraftFor] = useState(href)
  if (draftFor !== href) {
    setDraftFor(href)
    setDraft(applied)
  }
  return [draft, setDraft]
}

/** The filter form's buttons: apply (the form's submit) and clear every filter. */
export function FilterActions({ onClear }: { onClear: () => void }) {
  return (
    <div className="filter-actions">
      <button className="button primary" type="submit">
        Apply filters
      </button>
      <button className="button" type="button" onClick={onClear}>
        Clear
      </button>
    </div>
  )
}
