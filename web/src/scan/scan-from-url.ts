/*
 * An operation opened for one unit (`/sell?scan=PHX-0001`, from the unit page's actions) starts with that
 * unit scanned: the scan goes through the page's own checks, as if it had been scanned by hand.
 */
import { useEffect, useRef } from 'react'
import { setQuery } from '../router'

/** Scans the `scan` query parameter once, when the page's checks are ready, then drops it from the URL. */
export function useScanFromUrl(scan: (raw: string) => unknown, isReady = true): void {
  const done = useRef(false)
  useEffect(() => {
    if (done.current || !isReady) return
    const code = new URLSearchParams(location.search).get('scan')
    if (!code) return
    done.current = true
    setQuery({ scan: undefined })
    void scan(code)
  }, [scan, isReady])
}
