/*
 * The ways serials join a receipt: scanned one by one, a pasted list, a range, or a CSV file (a `serial`
 * column, other columns identifiers such as imei). Each way goes through the page's checks.
 */
import { type ChangeEvent, type RefObject, useState } from 'react'
import { expandRange, splitList } from '../batch-inputs'
import { ScanField, type ScanBatch } from '../components/ScanBatch'
import { fmtInt } from '../format'

export type Mode = 'scan' | 'paste' | 'range' | 'csv'
const MODES: Record<Mode, string> = { scan: 'Scan', paste: 'Paste list', range: 'Range', csv: 'CSV file' }

/** One serial to add in bulk, with the identifiers a CSV row gave it. */
export interface BulkEntry {
  raw: string
  identifiers?: Record<string, string>
}

export function SerialInputs({
  mode,
  onMode,
  batch,
  isReady,
  notReady,
  scanInput,
  addBulk,
  scanLabel,
  onEscape,
}: {
  /** Which way is open (the page keeps it from one receipt to the next). */
  mode: Mode
  onMode: (mode: Mode) => void
  batch: ScanBatch
  /** Whether a serial-tracked SKU is chosen (nothing can be added before). */
  isReady: boolean
  /** What to choose first, said on the disabled scan field. */
  notReady?: string
  scanInput: RefObject<HTMLInputElement | null>
  addBulk: (entries: BulkEntry[]) => Promise<void>
  /** What the scan field waits for: a serial, or the IMEI of the unit just scanned. */
  scanLabel: string
  /** Escape in the empty scan field (receive the unit without the identifier it waits for). */
  onEscape: () => void
}) {
  const [bulkText, setBulkText] = useState('')
  const [rangeText, setRangeText] = useState('')

  const onFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0]
    if (!file) return
    // The CSV parser (some 14 kB gzipped) loads with the first file: most receipts are scanned, not imported.
    const [{ unitsFromCsv }, text] = await Promise.all([import('../receipt-csv'), file.text()])
    const parsed = unitsFromCsv(text)
    e.target.value = ''
    if (!parsed.ok) return batch.say('error', `${file.name}: ${parsed.message}`)
    await addBulk(parsed.units.map((u) => ({ raw: u.serial, identifiers: u.identifiers })))
  }

  return (
    <>
      <div className="tabs" role="tablist" aria-label="How to add serials">
        {(Object.keys(MODES) as Mode[]).map((m) => (
          <button
            key={m}
            role="tab"
            type="button"
            aria-selected={mode === m}
            className={mode === m ? 'tab active' : 'tab'}
            onClick={() => onMode(m)}
          >
            {MODES[m]}
          </button>
        ))}
      </div>
      {mode === 'scan' && (
        <ScanField
          batch={batch}
          label={scanLabel}
          id="scan"
          inputRef={scanInput}
          onEscape={onEscape}
          disabled={!isReady}
          hint={isReady ? undefined : (notReady ?? 'Choose supplier, location and SKU, then scan.')}
        />
      )}
      {mode === 'paste' && (
        <div className="field">
          <label htmlFor="rcv-paste">Serials, one per line</label>
          <textarea
            id="rcv-paste"
            rows={6}
            value={bulkText}
            onChange={(e) => setBulkText(e.target.value)}
            spellCheck={false}
          />
          <button
            className="button"
            type="button"
            disabled={!isReady}
            onClick={() => void addBulk(splitList(bulkText).map((raw) => ({ raw }))).then(() => setBulkText(''))}
          >
            Add {fmtInt(splitList(bulkText).length)} serials
          </button>
        </div>
      )}
      {mode === 'range' && (
        <div className="field">
          <label htmlFor="rcv-range">Range</label>
          <input
            id="rcv-range"
            value={rangeText}
            onChange={(e) => setRangeText(e.target.value)}
            placeholder="PHX-{0001..0050}"
            spellCheck={false}
            autoComplete="off"
            aria-describedby="rcv-range-hint"
          />
          <small id="rcv-range-hint" className="hint">
            Prefix, {'{first..last}'}, suffix; the width of “first” sets the zero padding.
          </small>
          <button
            className="button"
            type="button"
            disabled={!isReady || !rangeText.trim()}
            onClick={() => {
              const x = expandRange(rangeText)
              if (!x.ok) return batch.say('error', x.message)
              void addBulk(x.serials.map((raw) => ({ raw }))).then(() => setRangeText(''))
            }}
          >
            Add range
          </button>
        </div>
      )}
      {mode === 'csv' && (
        <div className="field">
          <label htmlFor="rcv-csv">CSV file with a “serial” column (other columns: identifiers such as imei)</label>
          <input id="rcv-csv" type="file" accept=".csv,text/csv" onChange={(e) => void onFile(e)} disabled={!isReady} />
        </div>
      )}
    </>
  )
}
