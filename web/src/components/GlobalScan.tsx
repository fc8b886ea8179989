/*
 * The scan box on every page: `/` or F2 focuses it; a serial, IMEI or GS1 barcode opens the unit, several
 * matches open a choice, and an unknown code says so and offers the units list, each with its tone. On
 * an operation page a scanner burst typed into it goes to the page's batch instead (scanner-input.ts). Its
 * camera button reads a barcode with the phone's camera into the box, falling back to typing without it.
 */
import { type FormEvent, useEffect, useRef, useState } from 'react'
import { messageOf } from '../api'
import { Link, navigate } from '../router'
import { beep, primeAudio } from '../scan/feedback'
import { resolveScan } from '../scan/resolve-scan'
import { SCAN_ROUTED_EVENT } from '../scan/scanner-input'
import { CameraScan } from './CameraScan'
import { isTypingField } from './CodeField'

export function GlobalScan() {
  const [value, setValue] = useState('')
  const [message, setMessage] = useState<{ text: string; code?: string; tone: 'error' | 'info' } | undefined>()
  const [busy, setBusy] = useState(false)
  const input = useRef<HTMLInputElement>(null)

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const typing = isTypingField(e.target as Element | null)
      if (e.key === 'F2' || (e.key === '/' && !typing && !e.ctrlKey && !e.metaKey && !e.altKey)) {
        e.preventDefault()
        input.current?.focus()
        input.current?.select()
      }
    }
    window.addEventListener('keydown', onKey)
    // A burst that went to the page's batch leaves nothing behind here.
    const el = input.current
    const routed = () => {
      setValue('')
      setMessage(undefined)
    }
    el?.addEventListener(SCAN_ROUTED_EVENT, routed)
    return () => {
      window.removeEventListener('keydown', onKey)
      el?.removeEventListener(SCAN_ROUTED_EVENT, routed)
    }
  }, [])

  const submit = (e: FormEvent) => {
    e.preventDefault()
    void find(value)
  }

  /** Opens what a code names: typed, from a scanner, or read by the camera. */
  const find = async (code: string) => {
    if (code.trim() === '') return
    setBusy(true)
    setMessage(undefined)
    primeAudio()
    try {
      const r = await resolveScan(code)
      beep(r.ok ? 'ok' : r.reason === 'unknown-gtin' || r.reason === 'wrong-sku' ? 'wrong-sku' : 'error')
      if (r.ok && r.units.length === 1) {
        setValue('')
        navigate(`/units/${encodeURIComponent(r.units[0]!.id)}`)
      } else if (r.ok) {
        setValue('')
        navigate(`/lookup?code=${encodeURIComponent(code.trim())}`)
      } else {
        setMessage({
          text: r.message,
          code: r.scan.kind === 'gs1' ? r.scan.code : r.scan.kind === 'plain' ? r.scan.code : undefined,
          tone: 'error',
        })
        input.current?.select()
      }
    } catch (err) {
      beep('error')
      setMessage({ text: messageOf(err), tone: 'error' })
    } finally {
      setBusy(false)
    }
  }

  return (
    <form className="global-scan" role="search" onSubmit={submit}>
      <label htmlFor="global-scan" className="visually-hidden">
        Find a unit by serial, IMEI or GS1 barcode
      </label>
      <input
        id="global-scan"
        ref={input}
        value={value}
        onChange={(e) => {
          setValue(e.target.value)
          if (message) setMessage(undefined)
        }}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            setValue('')
            setMessage(undefined)
          }
        }}
        placeholder="Scan or type a serial…  ( / )"
        autoComplete="off"
        spellCheck={false}
        aria-describedby={message ? 'global-scan-message' : undefined}
        aria-invalid={message?.tone === 'error'}
        aria-busy={busy}
      />
      <button type="submit" className="scan-go" disabled={busy}>
        Find
      </button>
      {/* The phone's camera reads the barcode into the box, as a scanner would; without permission it says so. */}
      <CameraScan
        disabled={busy}
        label="Scan"
        ariaLabel="Scan a barcode to find its unit"
        onScan={(text) => {
          setValue(text)
          void find(text)
        }}
      />
      {message && (
        <div id="global-scan-message" className="scan-popover" role="alert">
          <p>{message.text}</p>
          {message.code && (
            <p>
              <Link
                to={`/units?find=${encodeURIComponent(message.code)}`}
                onClick={() => {
                  setMessage(undefined)
                  setValue('')
                }}
              >
                Search the units list for “{message.code}”
              </Link>
            </p>
          )}
          <button type="button" className="link-button" onClick={() => setMessage(undefined)}>
            Dismiss
          </button>
        </div>
      )}
    </form>
  )
}
