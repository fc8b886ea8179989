/*
 * Receiving: the receipt's header, serials scanned (or pasted, a range, a CSV file) for one SKU after
 * another, lot and quantity lines, and a manifest checked live. The draft's rules live in
 * receive-draft.ts; this page renders them, does the lookups and sends the receipt.
 */
import { useMutation, useQueries } from '@tanstack/react-query'
import { type ReactNode, useMemo, useRef, useState } from 'react'
import { api, ApiError, newIdempotencyKey } from '../api'
import { useAuth } from '../auth'
import { MAX_BULK } from '../batch-inputs'
import { allData } from '../components/Loaded'
import { QuantityLines } from '../components/QuantityLines'
import {
  BatchList,
  type BatchItem,
  type CheckContext,
  type CheckResult,
  FeedbackLine,
  Tally,
  TallyItem,
  useScanBatch,
  useSubmitShortcut,
} from '../components/ScanBatch'
import { CodeField, focusNextEmpty } from '../components/CodeField'
import { OpHeader } from '../components/OpHeader'
import { ErrorBox, Field, PageTitle } from '../components/ui'
import { fmtInt, plural } from '../format'
import { emptyLine, type QuantityLine, submitLabel } from '../quantity-lines'
import { afterWrite, queries } from '../queries'
import {
  duplicateRefusal,
  emptyHeader,
  existingRefusal,
  isEmptyReceipt,
  issueIndex,
  manifestOf,
  manifestTally,
  nextHeader,
  type ReceiptHeader,
  receiptItem,
  receiptProblem,
  receiptRequest,
  receiptScan,
  serialSkuOf,
} from '../receive-draft'
import { resolveLocation, resolveParty, resolveSku } from '../header-fields'
import { Link } from '../router'
import type { ReceiptResult, ReceiveRequest } from '../types'
import { type BulkEntry, type Mode, SerialInputs } from './ReceiveInputs'

/** More serials than this in one paste or file are not looked up one by one: the server checks them at submit. */
const LOOKUP_LIMIT = 500

export function ReceivePage() {
  const auth = useAuth()
  const refs = useQueries({ queries: [queries.allSkus, queries.allLocations, queries.allParties], combine: allData })
  const [skus, locations, parties] = refs.data ?? []
  const [header, setHeader] = useState(emptyHeader)
  const [mode, setMode] = useState<Mode>('scan')
  const [manifestText, setManifestText] = useState('')
  const [showManifest, setShowManifest] = useState(false)
  const [quantityLines, setQuantityLines] = useState<QuantityLine[]>(() => [emptyLine()])
  const [submitError, setSubmitError] = useState<unknown>()
  const [result, setResult] = useState<ReceiptResult | undefined>()
  const scanInput = useRef<HTMLInputElement>(null)
  const idemKey = useRef(newIdempotencyKey())
  const sending = useMutation({
    mutationFn: (body: ReceiveRequest) => api.receive(body, idemKey.current),
    onSuccess: afterWrite.stock,
  })
  const set = (field: keyof ReceiptHeader) => (value: string) => setHeader((h) => ({ ...h, [field]: value }))

  const { sku, problem: skuProblem } = skus ? serialSkuOf(header.skuCode, skus) : {}
  const expected = useMemo(() => manifestOf(manifestText, sku), [manifestText, sku])

  const checkOne = async (
    raw: string,
    ctx: CheckContext,
    lookup: boolean,
    identifiers?: Record<string, string>,
  ): Promise<CheckResult> => {
    if (!sku || !skus) return { refuse: 'Choose a serial-tracked SKU first' }
    const scan = receiptScan(raw, sku, skus)
    if ('refuse' in scan) return scan
    if (!ctx.reserve(scan.key)) return { refuse: duplicateRefusal(scan.serial) }
    const existing = lookup && existingRefusal(scan.serial, sku.code, await api.lookup(scan.serial))
    if (existing) return { refuse: existing }
    return { item: receiptItem(scan, sku.code, expected, identifiers) }
  }
  const batch = useScanBatch((raw, ctx) => checkOne(raw, ctx, true))

  /** Adds many serials through the same checks (looked up only when few), then reports once. */
  const addBulk = async (entries: BulkEntry[]) => {
    if (!sku) return batch.say('error', 'Choose a serial-tracked SKU first')
    if (batch.items.length + entries.length > MAX_BULK)
      return batch.say('error', `A receipt in the browser holds at most ${fmtInt(MAX_BULK)} serials`)
    const lookup = entries.length <= LOOKUP_LIMIT
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

  const { missing, unexpected } = manifestTally(expected, batch.items)
  const isEmpty = isEmptyReceipt(batch.items, quantityLines)
  const submit = async () => {
    if (sending.isPending) return
    setSubmitError(undefined)
    const problem = receiptProblem(header, batch.items, quantityLines, skus ?? [])
    if (problem) return setSubmitError(new Error(problem))
    const manifest = sku && { sku: sku.code, serials: expected }
    const { body, groups } = receiptRequest(header, batch.items, quantityLines, manifest)
    try {
      setResult(await sending.mutateAsync(body))
      batch.clear()
      setQuantityLines([emptyLine()])
      idemKey.current = newIdempotencyKey()
    } catch (e) {
      setSubmitError(e)
      if (e instanceof ApiError)
        batch.refusedSubmit(e.issues, e.detail, (issue) => issueIndex(issue, groups, batch.items))
    }
  }
  useSubmitShortcut(() => void submit(), !result)

  /** Enter in a header field: on to the next one still empty, then to the scan field. */
  const nextField = () =>
    setTimeout(() => focusNextEmpty(['rcv-supplier', 'rcv-location', 'rcv-sku'], scanInput.current), 0)

  const startNext = () => {
    setResult(undefined)
    setHeader(nextHeader)
    setManifestText('')
    setTimeout(() => scanInput.current?.focus(), 0)
  }

  if (result) return <ReceiptDone result={result} onNext={startNext} />

  return (
    <section className="page">
      <PageTitle>Receive</PageTitle>
      <div className="op-layout">
        <div className="card op-form">
          <h2 className="visually-hidden">Receipt</h2>
          <OpHeader
            isSet={!!header.supplier.trim() && !!header.location.trim() && sku !== undefined}
            summary={[header.supplier, header.location, header.skuCode].filter((s) => s.trim()).join(' · ')}
            firstFieldId="rcv-supplier"
          >
            <CodeField
              label="Supplier"
              value={header.supplier}
              onChange={set('supplier')}
              resolve={(t) => resolveParty(t, parties ?? [], 'supplier')}
              required
              options={parties?.filter((p) => p.role === 'supplier').map((p) => ({ value: p.code, label: p.name }))}
              id="rcv-supplier"
              autoFocus
              onEnter={nextField}
            />
            <CodeField
              label="Location"
              value={header.location}
              onChange={set('location')}
              resolve={(t) => resolveLocation(t, locations ?? [])}
              required
              options={locations?.map((l) => ({ value: l.code, label: `${l.name} (${l.level})` }))}
              id="rcv-location"
              hint="Code, name, or scan the bin label"
              onEnter={nextField}
            />
            <CodeField
              label="Serial-tracked SKU"
              value={header.skuCode}
              onChange={set('skuCode')}
              resolve={(t) => resolveSku(t, skus ?? [], 'serial')}
              options={skus?.filter((s) => s.tracking === 'serial').map((s) => ({ value: s.code, label: s.name }))}
              id="rcv-sku"
              onEnter={nextField}
              hint={
                skuProblem ??
                (sku
                  ? `${sku.name}${sku.gtin ? ` · GTIN ${sku.gtin}` : ''}${sku.serialFormat ? ` · serials: ${sku.serialFormat}` : ''}`
                  : 'Code, name, or scan the product barcode on the box')
              }
            />
            <details>
              <summary>Receipt details (optional)</summary>
              <Field
                label="Receipt number"
                value={header.number}
                onChange={set('number')}
                hint="Generated when empty"
                id="rcv-number"
              />
              <Field
                label="Supplier delivery note"
                value={header.supplierRef}
                onChange={set('supplierRef')}
                id="rcv-ref"
              />
              <Field label="Purchase order" value={header.po} onChange={set('po')} id="rcv-po" />
              <Field label="Lot of the scanned units" value={header.lot} onChange={set('lot')} id="rcv-lot" />
              <Field
                label="Unit cost of the scanned units"
                value={header.unitCost}
                onChange={set('unitCost')}
                type="number"
                inputMode="decimal"
                step="0.01"
                hint={sku ? `SKU cost ${sku.cost} when empty` : undefined}
                id="rcv-cost"
              />
            </details>
            {skus && (
              <QuantityLines lines={quantityLines} onChange={setQuantityLines} skus={skus} withCost idPrefix="rcv" />
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
          </OpHeader>
        </div>
        <div className="card op-scan">
          <SerialInputs
            mode={mode}
            onMode={setMode}
            batch={batch}
            isReady={sku !== undefined}
            notReady={waitingFor(header, sku !== undefined)}
            scanInput={scanInput}
            addBulk={addBulk}
          />
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
              disabled={sending.isPending || isEmpty || !auth.can('stock.operate')}
            >
              {sending.isPending ? 'Receiving…' : submitLabel('Receive', batch.items.length, quantityLines)}
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

/** What the scan field waits for, named: `Choose the supplier and the SKU first, then scan.` */
function waitingFor(h: ReceiptHeader, hasSku: boolean): string {
  const missing = [!h.supplier.trim() && 'the supplier', !h.location.trim() && 'the location', !hasSku && 'the SKU']
  const list = missing.filter((m): m is string => !!m)
  const words = list.length > 1 ? `${list.slice(0, -1).join(', ')} and ${list.at(-1)}` : list[0]
  return `Choose ${words ?? 'the SKU'} first, then scan.`
}

/** The receipt recorded: its number, the manifest's outcome, and the way on to the next one. */
function ReceiptDone({ result, onNext }: { result: ReceiptResult; onNext: () => void }): ReactNode {
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
            Manifest: {fmtInt(result.manifest.expectedCount)} expected, {fmtInt(result.manifest.missingCount)} missing,{' '}
            {fmtInt(result.manifest.unexpectedCount)} unexpected.
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
        <button className="button primary" type="button" onClick={onNext} autoFocus>
          Next receipt
        </button>
      </div>
    </section>
  )
}
