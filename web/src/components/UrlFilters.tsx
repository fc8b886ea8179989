import { type FormEvent, useState } from 'react'
import { setQuery, useLocation } from '../router'
import type { CursorPages } from './CursorPager'

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

/**
 * The filters and the page of a keyset-paged list, all in its URL: the filters in force (each of `names`
 * from the query, else its default), the form's draft of them (useUrlDraft), and where the list stands
 * (CursorPages). Applying the draft (the form's submit) and clearing every filter both start again at the
 * first page; `drops` names other query keys they remove as well.
 */
export function usePagedUrlFilters<K extends string>(
  names: readonly K[],
  { defaults = {}, drops = [] }: { defaults?: Partial<Record<K, string>>; drops?: readonly string[] } = {},
) {
  const loc = useLocation()
  const applied = Object.fromEntries(names.map((f) => [f, loc.query.get(f) ?? defaults[f] ?? ''])) as Record<K, string>
  const [draft, setDraft] = useUrlDraft(applied, loc.href)
  const [history, setHistory] = useState<string[]>([])
  const pages: CursorPages = { cursor: loc.query.get('cursor') ?? '', history, setHistory }
  const dropped = Object.fromEntries(['cursor', ...drops].map((f) => [f, undefined]))
  const apply = (e: FormEvent) => {
    e.preventDefault()
    setHistory([])
    setQuery({ ...draft, ...dropped })
  }
  const clear = () => {
    setHistory([])
    setQuery({ ...Object.fromEntries(names.map((f) => [f, undefined])), ...dropped })
  }
  return { applied, draft, setDraft, pages, apply, clear }
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
