import { useMutation, useQueries } from '@tanstack/react-query'
import { type ChangeEvent, useMemo, useRef, useState } from 'react'
import { normalizeSerial, serialRuleOf } from '../../../src/modules/catalog/serial'
import { api, ApiError, type Issue, newIdempotencyKey } from '../api'
import { useAuth } from '../auth'
import { expandRange, MAX_BULK, splitList, unitsFromCsv } from '../batch-inputs'
import { QuantityLines } from '../components/QuantityLines'
import {
  emptyLine,
  filledLines,
  type QuantityLine,
  quantityLinesProblem,
  receiptLinesForApi,
  submitLabel,
} from '../quantity-lines'
import {
  BatchList,
  type BatchItem,
  type Check,
  type CheckContext,
  type CheckResult,
  FeedbackLine,
  ScanField,
  Tally,
  TallyItem,
  useScanBatch,
  useSubmitShortcut,
} from '../components/ScanBatch'
import { allData } from '../components/Loaded'
import { ErrorBox, Field, PageTitle } from '../components/ui'
import { fmtInt, plural } from '../format'
import { afterWrite, queries } from '../queries'
import { Link } from '../router'
import { gtin14, parseScan } from '../../../src/modules/gs1/index.js'
import type { ReceiptResult, Sku } from '../types'

type Mode = 'scan' | 'paste' | 'range' | 'csv'

/** Normalises the serial a scan carries for a SKU, or says why it cannot be received. */
function serialOf(
  raw: string,
  sku: Sku,
  allSkusList: Sku[],
): { ok: true; serial: string } | { ok: false; message: string } {
  const scan = parseScan(raw)
  if (scan.kind === 'invalid') return { ok: false, message: `${raw}: ${scan.message}` }
  let serial: string
  if (scan.kind === 'gs1') {
    if (!scan.serial) return { ok: false, message: `GTIN ${scan.gtin} without a serial: scan the serial barcode` }
    if (scan.gtin && sku.gtin && gtin14(scan.gtin) !== gtin14(sku.gtin)) {
      const owner = allSkusList.find((s) => s.gtin && gtin14(s.gtin) === gtin14(scan.gtin!))
      return {
        ok: false,
        message: `${scan.serial}: GTIN ${scan.gtin} is ${owner ? `SKU ${owner.code}` : 'not a known SKU'}, not ${sku.code}`,
      }
    }
    serial = scan.serial
  } else serial = scan.code
  const check = normalizeSerial(serial, serialRuleOf(sku))
  if (!check.ok) return { ok: false, message: `${serial}: ${check.reason}` }
  return { ok: true, serial: check.serial }
}

export function ReceivePage() {
  const auth = useAuth()
  const loaded = useQueries({ queries: [queries.allSkus, queries.allLocations, queries.allParties], combine: allData })
  const refs = {
    data: loaded.data && {
      skus: loaded.data[0].filter((s) => s.tracking === 'serial'),
      allSkus: loaded.data[0],
      locations: loaded.data[1],
      suppliers: loaded.data[2].filter((p) => p.role === 'supplier'),
    },
  }
  const [supplier, setSupplier] = useState('')
  const [location, setLocation] = useState('')
  const [skuCode, setSkuCode] = useState('')
  const [number, setNumber] = useState('')
  const [supplierRef, setSupplierRef] = useState('')
  const [po, setPo] = useState('')
  const [lot, setLot] = useState('')
  const [unitCost, setUnitCost] = useState('')
  const [mode, setMode] = useState<Mode>('scan')
  const [manifestText, setManifestText] = useState('')
  const [showManifest, setShowManifest] = useState(false)
  const [bulkText, setBulkText] = useState('')
  const [rangeText, setRangeText] = useState('')
  const [quantityLines, setQuantityLines] = useState<QuantityLine[]>(() => [emptyLine()])
  const [submitError, setSubmitError] = useState<unknown>()
  const [result, setResult] = useState<ReceiptResult | undefined>()
  const sending = useMutation({
    mutationFn: (body: Parameters<typeof api.receive>[0]) => api.receive(body, idemKey.current),
    onSuccess: afterWrite.stock,
  })
  const busy = sending.isPending
  const scanInput = useRef<HTMLInputElement>(null)
  const idemKey = useRef(newIdempotencyKey())

  const sku = refs.data?.skus.find((s) => s.code === skuCode.trim())
  const skuError =
    skuCode.trim() && refs.data && !sku
      ? refs.data.allSkus.some((s) => s.code === skuCode.trim())
        ? `${skuCode} is not serial-tracked`
        : `no SKU ${skuCode}`
      : undefined

  const expected = useMemo(() => {
    if (!sku) return new Set<string>()
    const out = new Set<string>()
    for (const s of splitList(manifestText)) {
      const c = normalizeSerial(s, serialRuleOf(sku))
      out.add(c.ok ? c.serial : s)
    }
    return out
  }, [manifestText, sku])

  const checkOne = async (
    raw: string,
    ctx: CheckContext,
    lookup: boolean,
    identifiers?: Record<string, string>,
  ): Promise<CheckResult> => {
    if (!sku || !refs.data) return { refuse: 'Choose a serial-tracked SKU first' }
    const s = serialOf(raw, sku, refs.data.allSkus)
    if (!s.ok) return { refuse: s.message }
    const key = `${sku.code}|${s.serial}`
    if (!ctx.reserve(key)) {
      return { refuse: `Duplicate: ${s.serial} is already in this receipt; not added again` }
    }
    if (lookup) {
      const existing = (await api.lookup(s.serial)).find((u) => u.sku.code === sku.code && u.serial === s.serial)
      if (existing)
        return {
          refuse: `${s.serial} already exists: ${existing.status.replace('_', ' ')}${existing.receipt ? `, received on ${existing.receipt.number}` : ''}`,
        }
    }
    const onManifest = expected.size === 0 || expected.has(s.serial)
    return {
      item: {
        key,
        serial: s.serial,
        sku: sku.code,
        identifiers,
        state: onManifest ? 'ok' : 'warn',
        note: onManifest ? undefined : 'not on the manifest',
      },
    }
  }
  const check: Check = (raw, ctx) => checkOne(raw, ctx, true)
  const batch = useScanBatch(check)

  /** Adds many serials through the same checks (looked up only when few), then reports once. */
  const addBulk = async (entries: { raw: string; identifiers?: Record<string, string> }[]) => {
    if (!sku) return batch.say('error', 'Choose a serial-tracked SKU first')
    if (batch.items.length + entries.length > MAX_BULK)
      return batch.say('error', `A receipt in the browser holds at most ${fmtInt(MAX_BULK)} serials`)
    const lookup = entries.length <= 500
    const taken = new Set(batch.items.map((i) => i.key))
    const ctx: CheckContext = { reserve: (k) => (taken.has(k) ? false : (taken.add(k), true)), holder: () => undefined }
    const accepted: (Omit<BatchItem, 'state'> & { state?: BatchItem['state'] })[] = []
    const refused: { raw: string; message: string }[] = []
    let next = 0
    const worker = async () => {
      while (next < entries.length) {
        const e = entries[next++]!
        const r = await checkOne(e.raw, ctx, lookup, e.identifiers).catch((err: unknown) => ({
          refuse: `${e.raw}: ${(err as Error).message}`,
        }))
        if ('refuse' in r) refused.push({ raw: e.raw, message: r.refuse })
        else accepted.push({ ...r.item, raw: e.raw })
      }
    }
    await Promise.all(Array.from({ length: lookup ? 8 : 1 }, worker))
    // Keep the order the user gave.
    const order = new Map(entries.map((e, i) => [e.raw, i]))
    accepted.sort((a, b) => order.get(a.raw)! - order.get(b.raw)!)
    batch.addMany(accepted, refused)
  }

  const onFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0]
    if (!file) return
    const parsed = unitsFromCsv(await file.text())
    e.target.value = ''
    if (!parsed.ok) return batch.say('error', `${file.name}: ${parsed.message}`)
    await addBulk(parsed.units.map((u) => ({ raw: u.serial, identifiers: u.identifiers })))
  }

  const scanned = new Set(batch.items.map((i) => i.serial))
  const missing = [...expected].filter((s) => !scanned.has(s))
  const unexpected = expected.size > 0 ? batch.items.filter((i) => !expected.has(i.serial)) : []

  const isEmpty = batch.items.length === 0 && filledLines(quantityLines).length === 0
  const submit = async () => {
    if (busy) return
    setSubmitError(undefined)
    if (!supplier.trim() || !location.trim()) return setSubmitError(new Error('Supplier and location are required'))
    if (isEmpty) return setSubmitError(new Error('Scan at least one serial or fill in a quantity line'))
    const problem = quantityLinesProblem(quantityLines, refs.data?.allSkus ?? [], false)
    if (problem) return setSubmitError(new Error(problem))
    // One receipt line per SKU scanned (the SKU may change between scans), in order of first scan.
    const groups = new Map<string, BatchItem[]>()
    for (const i of batch.items) groups.set(i.sku!, [...(groups.get(i.sku!) ?? []), i])
    const lines = [
      ...[...groups].map(([code, items]) => ({
        sku: code,
        ...(lot.trim() && { lot: lot.trim() }),
        ...(unitCost.trim() && { unitCost: Number(unitCost) }),
        ...(items.some((i) => i.identifiers)
          ? { units: items.map((i) => ({ serial: i.serial, ...(i.identifiers && { identifiers: i.identifiers }) })) }
          : { serials: items.map((i) => i.serial) }),
      })),
      // Counted stock: one line each, after the serial lines (so lines[k] of an error still finds its serials).
      ...receiptLinesForApi(quantityLines),
    ]
    const body = {
      supplier: supplier.trim(),
      location: location.trim(),
      ...(number.trim() && { number: number.trim() }),
      ...(supplierRef.trim() && { supplierRef: supplierRef.trim() }),
      ...(po.trim() && { po: po.trim() }),
      lines,
      ...(expected.size > 0 && sku && { expected: [{ sku: sku.code, serials: [...expected] }] }),
    }
    /** A server issue (`lines[k]…`, row n) → the batch index of that serial. */
    const groupList = [...groups.values()]
    const rowOf = (issue: Issue) => {
      const k = Number(/lines\[(\d+)\]/.exec(issue.field)?.[1] ?? 0)
      const item = issue.row !== undefined ? groupList[k]?.[issue.row - 1] : undefined
      return item ? batch.items.indexOf(item) : undefined
    }
    try {
      const r = await sending.mutateAsync(body)
      setResult(r)
      batch.clear()
      setQuantityLines([emptyLine()])
      idemKey.current = newIdempotencyKey()
    } catch (e) {
      setSubmitError(e)
      if (e instanceof ApiError) batch.refusedSubmit(e.issues, e.detail, rowOf)
    }
  }
  useSubmitShortcut(() => void submit(), !result)

  const startNext = () => {
    setResult(undefined)
    setNumber('')
    setManifestText('')
    setSupplierRef('')
    setPo('')
    setTimeout(() => scanInput.current?.focus(), 0)
  }

  const r = refs.data
  if (result)
    return (
      <section className="page">
        <PageTitle>Receipt {result.number} received</PageTitle>
        <div className="card success-box" role="status">
          <p>
            <strong>{plural(result.unitCount, 'unit')}</strong> received on{' '}
            <Link to={`/documents/receipt/${encodeURIComponent(result.number)}`}>{result.number}</Link> (ledger event #
            {result.eventSeq}).
          </p>
          {result.manifest && (
            <p>
              Manifest: {fmtInt(result.manifest.expectedCount)} expected, {fmtInt(result.manifest.missingCount)}{' '}
              missing, {fmtInt(result.manifest.unexpectedCount)} unexpected.
              {result.manifest.missing.length > 0 && (
                <>
                  {' '}
                  Missing:{' '}
                  {result.manifest.missing
                    .slice(0, 20)
                    .map((m) => m.serial)
                    .join(', ')}
                </>
              )}
            </p>
          )}
          <button className="button primary" type="button" onClick={startNext} autoFocus>
            Next receipt
          </button>
        </div>
      </section>
    )

  return (
    <section className="page">
      <PageTitle>Receive</PageTitle>
      <div className="op-layout">
        <div className="card op-form">
          <h2 className="visually-hidden">Receipt</h2>
          <Field
            label="Supplier"
            value={supplier}
            onChange={setSupplier}
            required
            options={r?.suppliers.map((p) => ({ value: p.code, label: p.name }))}
            id="rcv-supplier"
            autoFocus
          />
          <Field
            label="Location"
            value={location}
            onChange={setLocation}
            required
            options={r?.locations.map((l) => ({ value: l.code, label: `${l.name} (${l.level})` }))}
            id="rcv-location"
          />
          <Field
            label="Serial-tracked SKU"
            value={skuCode}
            onChange={setSkuCode}
            options={r?.skus.map((s) => ({ value: s.code, label: s.name }))}
            id="rcv-sku"
            hint={
              skuError ??
              (sku
                ? `${sku.name}${sku.gtin ? ` · GTIN ${sku.gtin}` : ''}${sku.serialPattern ? ` · serials match ${sku.serialPattern}` : ''}`
                : undefined)
            }
          />
          <details>
            <summary>Receipt details (optional)</summary>
            <Field
              label="Receipt number"
              value={number}
              onChange={setNumber}
              hint="Generated when empty"
              id="rcv-number"
            />
            <Field label="Supplier delivery note" value={supplierRef} onChange={setSupplierRef} id="rcv-ref" />
            <Field label="Purchase order" value={po} onChange={setPo} id="rcv-po" />
            <Field label="Lot of the scanned units" value={lot} onChange={setLot} id="rcv-lot" />
            <Field
              label="Unit cost of the scanned units"
              value={unitCost}
              onChange={setUnitCost}
              type="number"
              inputMode="decimal"
              step="0.01"
              hint={sku ? `SKU cost ${sku.cost} when empty` : undefined}
              id="rcv-cost"
            />
          </details>
          {r && (
            <QuantityLines lines={quantityLines} onChange={setQuantityLines} skus={r.allSkus} withCost idPrefix="rcv" />
          )}
          <details open={showManifest} onToggle={(e) => setShowManifest((e.target as HTMLDetailsElement).open)}>
            <summary>Expected serials (manifest){expected.size > 0 && ` · ${fmtInt(expected.size)}`}</summary>
            <div className="field">
              <label htmlFor="rcv-manifest">Paste the supplier's serial list, one per line</label>
              <textarea
                id="rcv-manifest"
                rows={5}
                value={manifestText}
                onChange={(e) => setManifestText(e.target.value)}
                spellCheck={false}
              />
            </div>
          </details>
        </div>
        <div className="card op-scan">
          <div className="tabs" role="tablist" aria-label="How to add serials">
            {(['scan', 'paste', 'range', 'csv'] as Mode[]).map((m) => (
              <button
                key={m}
                role="tab"
                type="button"
                aria-selected={mode === m}
                className={mode === m ? 'tab active' : 'tab'}
                onClick={() => setMode(m)}
              >
                {{ scan: 'Scan', paste: 'Paste list', range: 'Range', csv: 'CSV file' }[m]}
              </button>
            ))}
          </div>
          {mode === 'scan' && (
            <ScanField
              batch={batch}
              label="Scan serial"
              id="scan"
              inputRef={scanInput}
              disabled={!sku}
              hint={sku ? undefined : 'Choose supplier, location and SKU, then scan.'}
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
                disabled={!sku}
                onClick={() => {
                  void addBulk(splitList(bulkText).map((raw) => ({ raw }))).then(() => setBulkText(''))
                }}
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
                disabled={!sku || !rangeText.trim()}
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
              <input id="rcv-csv" type="file" accept=".csv,text/csv" onChange={(e) => void onFile(e)} disabled={!sku} />
            </div>
          )}
          <FeedbackLine feedback={batch.feedback} pending={batch.pending} />
          <Tally>
            <TallyItem label="Scanned" value={batch.items.length} tone="ok" />
            {expected.size > 0 && (
              <>
                <TallyItem label="Expected" value={expected.size} />
                <TallyItem label="Missing" value={missing.length} tone={missing.length ? 'warn' : undefined} />
                <TallyItem label="Unexpected" value={unexpected.length} tone={unexpected.length ? 'warn' : undefined} />
              </>
            )}
            <TallyItem
              label="Refused"
              value={batch.refusals.length}
              tone={batch.refusals.length ? 'error' : undefined}
            />
          </Tally>
          <div className="submit-row">
            <button
              className="button primary"
              type="button"
              onClick={() => void submit()}
              disabled={busy || isEmpty || !auth.can('stock.operate')}
            >
              {busy ? 'Receiving…' : submitLabel('Receive', batch.items.length, quantityLines)}
            </button>
            <span className="hint">Ctrl+Enter</span>
            {batch.items.length > 0 && (
              <button
                className="button"
                type="button"
                onClick={() => confirm(`Clear ${batch.items.length} scanned serials?`) && batch.clear()}
              >
                Clear
              </button>
            )}
          </div>
          <ErrorBox error={submitError} />
          {missing.length > 0 && (
            <details className="manifest-missing">
              <summary>{plural(missing.length, 'expected serial')} not scanned yet</summary>
              <p className="serial-list">{missing.slice(0, 500).join(' · ')}</p>
            </details>
          )}
          <BatchList batch={batch} />
        </div>
      </div>
    </section>
  )
}
