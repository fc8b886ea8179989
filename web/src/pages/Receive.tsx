/*
 * Receiving: the receipt's header, serials scanned (or pasted, a range, a CSV file) for one SKU after
 * another, lot and quantity lines, and a manifest checked live. The draft's rules live in
 * receive-draft.ts; this page renders them, does the lookups and sends the receipt.
 */
import { useMutation, useQueries } from '@tanstack/react-query'
import { type ReactNode, useLayoutEffect, useMemo, useRef, useState } from 'react'
import { api, ApiError, newIdempotencyKey } from '../api'
import { useAuth } from '../auth'
import { MAX_BULK } from '../batch-inputs'
import { DraftOffer, DraftTooLarge } from '../components/DraftOffer'
import { allData } from '../components/Loaded'
import { QuantityLines } from '../components/QuantityLines'
import {
  BatchList,
  type BatchItem,
  type CheckContext,
  type CheckResult,
  FeedbackLine,
  LastRefusalLine,
  ScanStatus,
  SubmitRow,
  Tally,
  TallyItem,
  usePageScans,
  useScanBatch,
  useSubmitShortcut,
} from '../components/ScanBatch'
import { CodeField, focusNextEmpty, focusScanSoon } from '../components/CodeField'
import { OpHeader } from '../components/OpHeader'
import { ErrorBox, Field, PageTitle } from '../components/ui'
import { useDraft } from '../drafts'
import { fmtInt, plural } from '../format'
import { emptyLine, filledLines, type QuantityLine, submitLabel } from '../quantity-lines'
import { afterWrite, queries } from '../queries'
import {
  duplicateRefusal,
  emptyHeader,
  existingRefusal,
  identifierLabel,
  identifierTaken,
  isEmptyReceipt,
  issueIndex,
  manifestOf,
  manifestTally,
  nextHeader,
  otherSkuRefusal,
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

/** A receipt's unsent work as kept in the browser. */
interface ReceiptDraft {
  header: ReceiptHeader
  items: BatchItem[]
  lines: QuantityLine[]
  manifestText: string
}

/** The unit just scanned, waiting for its identifiers (its IMEI) before the next serial. */
interface Awaiting {
  key: string
  serial: string
  missing: string[]
}

/** How a serial joins: scanned (its identifiers asked for next), or in bulk, looked up or not. */
type Way = 'scan' | 'bulk' | 'bulk-unchecked'

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

  // The serial + identifier pair being scanned, and a serial of another SKU waiting for its confirming rescan.
  const awaiting = useRef<Awaiting | undefined>(undefined)
  const [waitingFor, setWaitingFor] = useState<Awaiting | undefined>()
  const heldIds = useRef<Record<string, string> | undefined>(undefined)
  const confirmKey = useRef<string | undefined>(undefined)
  const setAwaiting = (a: Awaiting | undefined) => {
    awaiting.current = a
    setWaitingFor(a)
  }

  /** An identifier scanned: it completes the unit just scanned, or waits for the serial scanned next. */
  const identifierScanned = async (
    id: { identifier: string; value: string },
    ctx: CheckContext,
  ): Promise<CheckResult> => {
    const label = identifierLabel(id.identifier)
    const taken = identifierTaken(id, sku!, ctx.items(), await api.lookup(id.value))
    if (taken) return { refuse: taken }
    const a = awaiting.current
    if (!a) {
      heldIds.current = { ...heldIds.current, [id.identifier]: id.value }
      return { info: `${label} ${id.value} read; now scan the serial of this unit` }
    }
    const missing = a.missing.filter((n) => n !== id.identifier)
    setAwaiting(missing.length ? { ...a, missing } : undefined)
    const next = missing.length ? `; now scan its ${identifierLabel(missing[0]!)}` : ''
    return {
      update: {
        key: a.key,
        identifiers: { [id.identifier]: id.value },
        note: missing.length ? `waiting for its ${missing.map(identifierLabel).join(', ')}` : undefined,
      },
      text: `${label} ${id.value} added to ${a.serial}${next}`,
    }
  }

  const checkOne = async (
    raw: string,
    ctx: CheckContext,
    way: Way,
    identifiers?: Record<string, string>,
  ): Promise<CheckResult> => {
    if (!sku || !skus) return { refuse: 'Choose a serial-tracked SKU first' }
    const isScan = way === 'scan'
    // The unit waiting for its IMEI was removed from the batch: wait no more.
    if (awaiting.current && !ctx.holder(awaiting.current.key)) setAwaiting(undefined)
    const waiting = isScan && awaiting.current
    const scan = receiptScan(
      raw,
      sku,
      skus,
      waiting ? { name: waiting.missing[0]!, serial: waiting.serial } : undefined,
    )
    if ('refuse' in scan) return scan
    if ('identifier' in scan) {
      if (isScan) return identifierScanned(scan, ctx)
      return { refuse: `${raw} is an ${identifierLabel(scan.identifier)}, not a serial: give it in its own column` }
    }
    if (!ctx.reserve(scan.key)) return { refuse: duplicateRefusal(scan.serial) }
    let alsoOf: string | undefined
    if (way !== 'bulk-unchecked') {
      const found = await api.lookup(scan.serial)
      const existing = existingRefusal(scan.serial, sku.code, found)
      if (existing) return { refuse: existing }
      const other = otherSkuRefusal(scan.serial, sku, skus, found)
      if (other && (other.isStrict || !isScan || confirmKey.current !== scan.key)) {
        if (isScan && !other.isStrict) confirmKey.current = scan.key
        return { refuse: other.message, wrongSku: true }
      }
      alsoOf = other?.otherSku
    }
    if (isScan) confirmKey.current = undefined
    const ids = isScan ? heldIds.current : identifiers
    if (isScan) heldIds.current = undefined
    const item = receiptItem(scan, sku.code, expected, ids)
    const missing = isScan ? sku.identifiers.map((r) => r.name).filter((n) => !ids?.[n]) : []
    if (missing.length > 0) setAwaiting({ key: scan.key, serial: scan.serial, missing })
    const notes = [
      item.note,
      alsoOf && `also a serial of ${alsoOf} (confirmed)`,
      missing.length > 0 && `waiting for its ${missing.map(identifierLabel).join(', ')}`,
    ].filter(Boolean)
    return {
      item: { ...item, ...(alsoOf && { state: 'warn' as const }), note: notes.join('; ') || undefined },
      prompt: missing.length > 0 ? `now scan its ${identifierLabel(missing[0]!)}` : undefined,
    }
  }
  const takeDraft = useRef<() => void>(undefined)
  const batch = useScanBatch((raw, ctx) => checkOne(raw, ctx, 'scan'), {
    // A serial and its IMEI are scanned in turn: the IMEI must find its serial already in the batch.
    sequential: (sku?.identifiers.length ?? 0) > 0,
    beforeScan: () => takeDraft.current?.(),
  })
  const skipIdentifier = () => {
    const a = awaiting.current
    if (!a) return
    setAwaiting(undefined)
    batch.update(a.key, { note: `received without its ${a.missing.map(identifierLabel).join(', ')}` })
    batch.say('info', `${a.serial} kept without its ${a.missing.map(identifierLabel).join(', ')}`)
  }

  const hasWork = batch.items.length > 0 || filledLines(quantityLines).length > 0
  const draft = useDraft<ReceiptDraft>({
    user: auth.user?.username,
    operation: 'received',
    current: hasWork
      ? {
          data: { header, items: batch.items, lines: quantityLines, manifestText },
          size: batch.items.length + filledLines(quantityLines).length,
        }
      : undefined,
    restore: (d) => {
      setHeader((h) => ({
        ...d.header,
        ...Object.fromEntries(Object.entries(h).filter(([, v]) => v.trim())),
      }))
      if (filledLines(d.lines).length > 0) setQuantityLines(d.lines)
      if (d.manifestText) setManifestText(d.manifestText)
      batch.restore(d.items)
    },
    leaveQuestion:
      `${plural(batch.items.length, 'scanned serial')} not received yet. ` + 'Leave this page? They stay as a draft.',
  })
  useLayoutEffect(() => {
    takeDraft.current = draft.offer ? draft.accept : undefined
  })

  /** Adds many serials through the same checks (looked up only when few), then reports once. */
  const addBulk = async (entries: BulkEntry[]) => {
    if (!sku) return batch.say('error', 'Choose a serial-tracked SKU first')
    if (batch.items.length + entries.length > MAX_BULK)
      return batch.say('error', `A receipt in the browser holds at most ${fmtInt(MAX_BULK)} serials`)
    const lookup = entries.length <= LOOKUP_LIMIT
    const way: Way = lookup ? 'bulk' : 'bulk-unchecked'
    const taken = new Set(batch.items.map((i) => i.key))
    const ctx: CheckContext = {
      reserve: (k) => (taken.has(k) ? false : (taken.add(k), true)),
      holder: () => undefined,
      items: () => batch.items,
    }
    const accepted: (Omit<BatchItem, 'state'> & { state?: BatchItem['state'] })[] = []
    const refused: { raw: string; message: string }[] = []
    let next = 0
    const worker = async () => {
      while (next < entries.length) {
        const e = entries[next++]!
        const r = await checkOne(e.raw, ctx, way, e.identifiers).catch((err: unknown) => ({
          refuse: `${e.raw}: ${(err as Error).message}`,
        }))
        if ('refuse' in r) refused.push({ raw: e.raw, message: r.refuse })
        else if ('item' in r) accepted.push({ ...r.item, raw: e.raw })
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
    const a = awaiting.current
    if (a && batch.items.some((i) => i.key === a.key)) {
      const label = a.missing.map(identifierLabel).join(', ')
      return setSubmitError(
        new Error(
          `${a.serial} waits for its ${label}: scan it, or press Escape in the scan field to receive it without`,
        ),
      )
    }
    const manifest = sku && { sku: sku.code, serials: expected }
    const { body, groups } = receiptRequest(header, batch.items, quantityLines, manifest)
    try {
      setResult(await sending.mutateAsync(body))
      draft.forget()
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
    focusScanSoon(() => scanInput.current)
  }
  usePageScans(batch, () => scanInput.current, result ? startNext : undefined)

  if (result) return <ReceiptDone result={result} onNext={startNext} />

  return (
    <section className="page">
      <PageTitle>Receive</PageTitle>
      <DraftOffer draft={draft} what="receipt" onDone={() => focusScanSoon(() => scanInput.current)} />
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
              autoFocus={!draft.offer}
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
                  ? `${sku.name}${sku.gtin ? ` · GTIN ${sku.gtin}` : ''}` +
                    `${sku.serialFormat ? ` · serials: ${sku.serialFormat}` : ''}`
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
            notReady={notReadyHint(header, sku !== undefined)}
            scanInput={scanInput}
            addBulk={addBulk}
            scanLabel={
              waitingFor ? `Scan the ${identifierLabel(waitingFor.missing[0]!)} of ${waitingFor.serial}` : 'Scan serial'
            }
            onEscape={skipIdentifier}
          />
          <ScanStatus>
            <FeedbackLine feedback={batch.feedback} pending={batch.pending} />
            <LastRefusalLine batch={batch} />
            <Tally>
              <TallyItem label="Scanned" value={batch.items.length} tone="ok" />
              {expected.size > 0 && (
                <>
                  <TallyItem label="Expected" value={expected.size} />
                  <TallyItem label="Missing" value={missing.length} tone={missing.length ? 'warn' : undefined} />
                  <TallyItem
                    label="Unexpected"
                    value={unexpected.length}
                    tone={unexpected.length ? 'warn' : undefined}
                  />
                </>
              )}
              <TallyItem label="Refused" value={batch.refusedCount} tone={batch.refusedCount ? 'error' : undefined} />
            </Tally>
          </ScanStatus>
          <SubmitRow
            batch={batch}
            label={sending.isPending ? 'Receiving…' : submitLabel('Receive', batch.items.length, quantityLines)}
            disabled={sending.isPending || isEmpty || !auth.can('stock.operate')}
            onSubmit={() => void submit()}
            scanned="serials"
            onClear={() => {
              setAwaiting(undefined)
              draft.forget()
            }}
          />
          <ErrorBox error={submitError} />
          {missing.length > 0 && (
            <details className="manifest-missing">
              <summary>{plural(missing.length, 'expected serial')} not scanned yet</summary>
              <p className="serial-list">{missing.slice(0, 500).join(' · ')}</p>
            </details>
          )}
          <DraftTooLarge draft={draft} />
          <BatchList batch={batch} scanInput={scanInput} />
        </div>
      </div>
    </section>
  )
}

/** What the scan field waits for, named: `Choose the supplier and the SKU first, then scan.` */
function notReadyHint(h: ReceiptHeader, hasSku: boolean): string {
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
        {result.manifest &&
          // prettier-ignore
          <p>
            Manifest: {fmtInt(result.manifest.expectedCount)} expected,{' '}
            {fmtInt(result.manifest.missingCount)} missing,{' '}
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
          </p>}
        {result.quarantined?.map((q) => (
          <p key={q.recall} className="warn" data-testid="receipt-recall">
            <strong>{plural(q.quarantined, 'unit')} quarantined</strong> at receiving by open recall{' '}
            <Link to={`/recalls/${encodeURIComponent(q.recall)}`}>{q.recall}</Link>: keep them apart.
          </p>
        ))}
        <button className="button primary" type="button" onClick={onNext} autoFocus>
          Next receipt
        </button>
      </div>
    </section>
  )
}
