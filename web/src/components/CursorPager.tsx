import { setQuery } from '../router'

/**
 * Previous/Next under a keyset-paged list whose page is the URL's `cursor`: Next goes to the page's
 * `nextCursor`, Previous back to the cursor before (`history`, the cursors of the pages before this one,
 * kept by the list: a new filter starts it again).
 */
export function CursorPager({
  cursor,
  nextCursor,
  shown,
  history,
  setHistory,
}: {
  cursor: string
  nextCursor: string | null
  shown: number
  history: string[]
  setHistory: (h: string[]) => void
}) {
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
      <span className="muted">{shown} shown</span>
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
