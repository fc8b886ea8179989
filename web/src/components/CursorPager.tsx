import { setQuery } from '../router'

/**
 * Where a keyset-paged list stands: the page shown is the URL's `cursor`; `history` holds the cursors of the
 * pages before it (page n starts after history[n-1]), kept by the list: a new filter starts it again.
 */
export interface CursorPages {
  cursor: string
  history: string[]
  setHistory: (h: string[]) => void
}

/**
 * Previous/Next under a keyset-paged list: Next goes to the page's `nextCursor`, Previous back to the
 * cursor before.
 */
export function CursorPager({
  pages: { cursor, history, setHistory },
  page,
}: {
  pages: CursorPages
  page: { nextCursor: string | null; items: readonly unknown[] }
}) {
  const { nextCursor } = page
  return (
    <nav className="pager" aria-label="Pages">
      <button
        className="button"
        type="button"
        disabled={!cursor}
        onClick={() => {
          setHistory(history.slice(0, -1))
          setQuery({ cursor: history[history.length - 1] || undefined })
        }}
      >
        ← Previous
      </button>
      <span className="muted">{page.items.length} shown</span>
      <button
        className="button"
        type="button"
        disabled={!nextCursor}
        onClick={() => {
          setHistory([...history, cursor])
          setQuery({ cursor: nextCursor ?? undefined })
        }}
      >
        Next →
      </button>
    </nav>
  )
}
