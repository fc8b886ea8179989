/*
 * Scan-driven stock operations: move, ship and receive a transfer, sell, customer return, restock,
 * stock found and lost (count differences, theft), scrap. Every
 * scan is looked up and checked against the unit state machine (the same table the server uses) before it
 * joins the batch; the batch is submitted as one ledger event.
 */
import { type ReactNode, useRef, useState } from 'react'
import { TRANSITIONS, transitionRefusal, type UnitEventType } from '../../../src/modules/units/unit-status'
import { api, ApiError, newIdempotencyKey } from '../api'
import { type Permission, useAuth } from '../auth'
import { allLocations, allParties, allSkus } from '../cache'
import { emptyLine, filledLines, type QuantityLine, QuantityLines, quantitiesForApi, quantityLinesProblem, submitLabel } from '../components/QuantityLines'
import { BatchList, type Check, FeedbackLine, ScanField, Tally, TallyItem, useScanBatch, useSubmitShortcut } from '../components/ScanBatch'
import { ErrorBox, Field, PageTitle, useAsync } from '../components/ui'
import { plural, STATUS_LABEL } from '../format'
import { Link } from '../router'
import { resolveScan } from '../scan/resolve-scan'
import type { Location, OperationResult, Party, Sku, Unit } from '../types'

type Values = Record<string, string>

interface Refs {
  locations: Location[]
  customers: Party[]
  transfers: string[]
  skus: Sku[]
}

interface FieldDef {
  name: string
  label: string
  kind: 'location' | 'customer' | 'text' | 'transfer' | 'money'
  required?: boolean
  hint?: string
  /** Shown only to users holding this permission (a sale price override). */
  needs?: Permission
}

interface OpConfig {
  title: string
  /** Button text: `Sell 3 units`. */
  verb: string
  event: UnitEventType
  fields: FieldDef[]
  /** An extra per-unit rule (within the `from` location, on this transfer, sold to this customer). */
  unitRule?: (u: Unit, v: Values, refs: Refs) => string | undefined
  /** Whether the batch may be empty (receive everything still in transit). */
  allowEmpty?: string
  /**
   * Whether lot and quantity stock can go along, and under which name the API wants each line's
   * location (none: the operation's own location applies).
   */
  quantities?: { locationField?: 'from' | 'location'; locationLabel?: string }
  submit: (v: Values, units: { serial: string; sku: string }[], quantities: object[], key: string) => Promise<OperationResult>
  docType: string
}

const within = (u: Unit, code: string, refs: Refs): string | undefined => {
  if (!code) return undefined
  const loc = refs.locations.find((l) => l.code === code)
  if (!loc) return `no location ${code}`
  return u.location?.path.startsWith(loc.path) ? undefined : `${u.serial} is at ${u.location?.code ?? 'no location'}, not in ${code}`
}

const opt = (v: string) => (v.trim() ? v.trim() : undefined)

const OPS: Record<string, OpConfig> = {
  move: {
    title: 'Move',
    verb: 'Move',
    event: 'moved',
    docType: 'move',
    fields: [
      { name: 'to', label: 'To location', kind: 'location', required: true },
      { name: 'from', label: 'From location', kind: 'location', hint: 'Optional: every unit must be inside it' },
      { name: 'reason', label: 'Reason', kind: 'text' },
    ],
    unitRule: (u, v, refs) => within(u, v.from ?? '', refs) ?? (u.location?.code === v.to ? `${u.serial} is already at ${v.to}` : undefined),
    quantities: { locationField: 'from', locationLabel: 'From location' },
    submit: (v, units, quantities, key) => api.move({ to: v.to, from: opt(v.from ?? ''), reason: opt(v.reason ?? ''), units, quantities }, key),
  },
  transfer: {
    title: 'Ship a transfer',
    verb: 'Ship',
    event: 'transfer_shipped',
    docType: 'transfer',
    fields: [
      { name: 'from', label: 'From site', kind: 'location', required: true },
      { name: 'to', label: 'To site', kind: 'location', required: true },
      { name: 'number', label: 'Transfer number', kind: 'text', hint: 'Generated when empty' },
    ],
    unitRule: (u, v, refs) => (v.from ? within(u, v.from, refs) : 'choose the site the goods leave first'),
    quantities: {},
    submit: (v, units, quantities, key) => api.shipTransfer({ from: v.from, to: v.to, number: opt(v.number ?? ''), units, quantities }, key),
  },
  transferReceive: {
    title: 'Receive a transfer',
    verb: 'Receive',
    event: 'transfer_received',
    docType: 'transfer',
    fields: [
      { name: 'number', label: 'Transfer number', kind: 'transfer', required: true },
      { name: 'location', label: 'Put into (bin or zone)', kind: 'location', hint: 'Optional: inside the destination; the destination itself when empty' },
    ],
    unitRule: (u, v) => (!v.number ? 'choose the transfer first' : u.transfer !== v.number ? `${u.serial} is ${u.transfer ? `on transfer ${u.transfer}` : 'not on a transfer'}, not on ${v.number}` : undefined),
    allowEmpty: 'Receive everything still in transit',
    submit: (v, units, _quantities, key) => api.receiveTransfer(v.number!, { location: opt(v.location ?? ''), ...(units.length > 0 && { units }) }, key),
  },
  sell: {
    title: 'Sell',
    verb: 'Sell',
    event: 'sold',
    docType: 'order',
    fields: [
      { name: 'orderRef', label: 'Order or till receipt', kind: 'text', required: true },
      { name: 'customer', label: 'Customer', kind: 'customer', hint: 'Empty for a walk-in sale' },
      { name: 'from', label: 'Selling location', kind: 'location', hint: 'Optional: every unit must be inside it' },
      { name: 'price', label: 'Sale price per unit (override)', kind: 'money', needs: 'price.override', hint: 'For the scanned units; empty: the list price' },
    ],
    unitRule: (u, v, refs) => within(u, v.from ?? '', refs),
    quantities: { locationField: 'location', locationLabel: 'Sold from' },
    submit: (v, units, quantities, key) => {
      const price = v.price?.trim() ? Number(v.price) : undefined
      return api.sell({ orderRef: v.orderRef, customer: opt(v.customer ?? ''), from: opt(v.from ?? ''), units: price === undefined ? units : units.map((u) => ({ ...u, price })), quantities }, key)
    },
  },
  return: {
    title: 'Customer return',
    verb: 'Take back',
    event: 'returned',
    docType: 'return',
    fields: [
      { name: 'location', label: 'Put into location', kind: 'location', required: true },
      { name: 'customer', label: 'Customer', kind: 'customer', hint: 'When given, each unit must have been sold to them' },
      { name: 'orderRef', label: 'Original order', kind: 'text' },
      { name: 'reason', label: 'Reason', kind: 'text' },
    ],
    unitRule: (u, v) => {
      if (v.customer && u.customer?.code !== v.customer) return `${u.serial} was sold to ${u.customer ? `${u.customer.name} (${u.customer.code})` : 'a walk-in customer'}, not ${v.customer}`
      if (v.orderRef && u.orderRef && u.orderRef !== v.orderRef) return `${u.serial} was sold on order ${u.orderRef}, not ${v.orderRef}`
      return undefined
    },
    quantities: {},
    submit: (v, units, quantities, key) => api.returnGoods({ location: v.location, customer: opt(v.customer ?? ''), orderRef: opt(v.orderRef ?? ''), reason: opt(v.reason ?? ''), units, quantities }, key),
  },
  restock: {
    title: 'Restock',
    verb: 'Restock',
    event: 'restocked',
    docType: 'adjustment',
    fields: [{ name: 'reason', label: 'Reason', kind: 'text', hint: 'Optional: checked and resellable, repaired…' }],
    submit: (v, units, _quantities, key) => api.restock({ reason: opt(v.reason ?? ''), units }, key),
  },
  found: {
    title: 'Stock found',
    verb: 'Mark found',
    event: 'found',
    docType: 'adjustment',
    fields: [
      { name: 'location', label: 'Found at location', kind: 'location', required: true },
      { name: 'reason', label: 'Reason', kind: 'text', required: true, hint: 'Cycle count, found in the back room…' },
    ],
    quantities: { locationField: 'location', locationLabel: 'Found at' },
    submit: (v, units, quantities, key) => api.adjust({ kind: 'found', location: v.location, reason: v.reason, units, quantities }, key),
  },
  lost: {
    title: 'Stock lost',
    verb: 'Mark lost',
    event: 'lost',
    docType: 'adjustment',
    fields: [
      { name: 'reason', label: 'Reason', kind: 'text', required: true, hint: 'Cycle count difference, theft report…' },
      { name: 'location', label: 'Missing from location', kind: 'location', hint: 'Optional: every unit must be inside it' },
    ],
    unitRule: (u, v, refs) => within(u, v.location ?? '', refs),
    quantities: { locationField: 'location', locationLabel: 'Missing from' },
    submit: (v, units, quantities, key) => api.adjust({ kind: 'lost', reason: v.reason, location: opt(v.location ?? ''), units, quantities }, key),
  },
  scrap: {
    title: 'Scrap',
    verb: 'Scrap',
    event: 'scrapped',
    docType: 'scrap',
    fields: [{ name: 'reason', label: 'Reason', kind: 'text', required: true, hint: 'Why the goods are destroyed' }],
    quantities: { locationField: 'location', locationLabel: 'At location' },
    submit: (v, units, quantities, key) => api.scrap({ reason: v.reason, units, quantities }, key),
  },
}

function OperationPage({ op }: { op: OpConfig }) {
  const auth = useAuth()
  const refs = useAsync(async () => {
    const [locations, parties, transfers, skus] = await Promise.all([
      allLocations(),
      allParties(),
      op.fields.some((f) => f.kind === 'transfer') ? api.documents({ type: 'transfer', limit: 200 }) : Promise.resolve([]),
      op.quantities ? allSkus() : Promise.resolve([]),
    ])
    return { locations, customers: parties.filter((p) => p.role === 'customer'), transfers: transfers.map((t) => t.number), skus } satisfies Refs
  }, [])
  const fields = op.fields.filter((f) => !f.needs || auth.can(f.needs))
  const [values, setValues] = useState<Values>(() => Object.fromEntries(fields.map((f) => [f.name, ''])))
  const [lines, setLines] = useState<QuantityLine[]>(() => [emptyLine()])
  const [result, setResult] = useState<OperationResult | undefined>()
  const [submitError, setSubmitError] = useState<unknown>()
  const [busy, setBusy] = useState(false)
  const idemKey = useRef(newIdempotencyKey())
  const scanInput = useRef<HTMLInputElement>(null)
  const trimmed = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v.trim()]))

  const check: Check = async (raw, ctx) => {
    const r = await resolveScan(raw)
    if (!r.ok) return { refuse: r.message }
    if (r.units.length > 1) return { refuse: `${raw}: serial exists for ${r.units.map((u) => u.sku.code).join(' and ')}; scan the GS1 barcode (with the GTIN) to pick one` }
    const u = r.units[0]!
    const refusal = transitionRefusal(op.event, { serial: u.serial, skuCode: u.sku.code, status: u.status })
    if (refusal) return { refuse: `${u.serial} is ${STATUS_LABEL[u.status].toLowerCase()}${u.location ? ` at ${u.location.code}` : ''}: cannot ${op.verb.toLowerCase()} (needs ${TRANSITIONS[op.event].from.map((s) => STATUS_LABEL[s].toLowerCase()).join(' or ')})` }
    const rule = refs.data && op.unitRule?.(u, trimmed, refs.data)
    if (rule) return { refuse: rule }
    if (!ctx.reserve(u.id)) return { refuse: `Duplicate: ${u.serial} is already in this batch; not added again` }
    return { item: { key: u.id, unitId: u.id, serial: u.serial, sku: u.sku.code, detail: `${u.sku.name} · ${STATUS_LABEL[u.status]}${u.location ? ` at ${u.location.code}` : ''}${u.customer ? ` · sold to ${u.customer.name}` : ''}` } }
  }
  const batch = useScanBatch(check)

  const missing = fields.filter((f) => f.required && !trimmed[f.name])
  const isEmpty = batch.items.length === 0 && filledLines(lines).length === 0
  const submit = async () => {
    if (busy) return
    setSubmitError(undefined)
    if (missing.length > 0) return setSubmitError(new Error(`Fill in: ${missing.map((f) => f.label).join(', ')}`))
    if (isEmpty && !op.allowEmpty) return setSubmitError(new Error(op.quantities ? 'Scan at least one unit or fill in a quantity line' : 'Scan at least one unit'))
    const problem = op.quantities && quantityLinesProblem(lines, refs.data?.skus ?? [], op.quantities.locationField !== undefined)
    if (problem) return setSubmitError(new Error(problem))
    setBusy(true)
    try {
      const res = await op.submit(
        trimmed,
        batch.items.map((i) => ({ serial: i.serial, sku: i.sku! })),
        quantitiesForApi(lines, op.quantities?.locationField),
        idemKey.current,
      )
      setResult(res)
      batch.clear()
      setLines([emptyLine()])
      idemKey.current = newIdempotencyKey()
    } catch (e) {
      setSubmitError(e)
      if (e instanceof ApiError) batch.refusedSubmit(e.issues, e.detail)
    } finally {
      setBusy(false)
    }
  }
  useSubmitShortcut(() => void submit(), !result)

  const r = refs.data
  const input = (f: FieldDef, index: number): ReactNode => {
    const options =
      f.kind === 'location'
        ? r?.locations.map((l) => ({ value: l.code, label: `${l.name} (${l.level})` }))
        : f.kind === 'customer'
          ? r?.customers.map((c) => ({ value: c.code, label: c.name }))
          : f.kind === 'transfer'
            ? r?.transfers.map((t) => ({ value: t }))
            : undefined
    return (
      <Field
        key={f.name}
        id={`op-${f.name}`}
        label={f.label}
        value={values[f.name] ?? ''}
        onChange={(v) => setValues((s) => ({ ...s, [f.name]: v }))}
        required={f.required}
        hint={f.hint}
        options={options}
        type={f.kind === 'money' ? 'number' : 'text'}
        inputMode={f.kind === 'money' ? 'decimal' : undefined}
        step={f.kind === 'money' ? '0.01' : undefined}
        autoFocus={index === 0}
      />
    )
  }

  if (result)
    return (
      <section className="page">
        <PageTitle>{op.title}: done</PageTitle>
        <div className="card success-box" role="status">
          <p>
            <strong>{plural(result.unitCount, 'unit')}</strong> recorded on <Link to={`/documents/${op.docType}/${encodeURIComponent(result.number)}`}>{result.number}</Link> (ledger event #{result.eventSeq}).
          </p>
          <button
            className="button primary"
            type="button"
            autoFocus
            onClick={() => {
              setResult(undefined)
              setTimeout(() => scanInput.current?.focus(), 0)
            }}
          >
            Next batch
          </button>
        </div>
      </section>
    )

  return (
    <section className="page">
      <PageTitle>{op.title}</PageTitle>
      <div className="op-layout">
        <div className="card op-form">
          {fields.map(input)}
          {op.quantities && r && (
            <QuantityLines
              lines={lines}
              onChange={setLines}
              skus={r.skus}
              locations={op.quantities.locationField ? r.locations : undefined}
              locationLabel={op.quantities.locationLabel}
              idPrefix="op"
            />
          )}
        </div>
        <div className="card op-scan">
          <ScanField batch={batch} label="Scan unit" id="scan" inputRef={scanInput} />
          <FeedbackLine feedback={batch.feedback} pending={batch.pending} />
          <Tally>
            <TallyItem label="Scanned" value={batch.items.length} tone="ok" />
            <TallyItem label="Refused" value={batch.refusals.length} tone={batch.refusals.length ? 'error' : undefined} />
            {op.event === 'sold' && !trimmed.price && batch.items.length > 0 && <span className="muted">list prices apply</span>}
          </Tally>
          <div className="submit-row">
            <button className="button primary" type="button" onClick={() => void submit()} disabled={busy || (isEmpty && !op.allowEmpty)}>
              {busy ? 'Saving…' : isEmpty && op.allowEmpty ? op.allowEmpty : submitLabel(op.verb, batch.items.length, lines)}
            </button>
            <span className="hint">Ctrl+Enter</span>
            {batch.items.length > 0 && (
              <button className="button" type="button" onClick={() => confirm(`Clear ${batch.items.length} scanned units?`) && batch.clear()}>
                Clear
              </button>
            )}
          </div>
          <ErrorBox error={submitError} />
          <BatchList batch={batch} />
        </div>
      </div>
    </section>
  )
}

export const MovePage = () => <OperationPage op={OPS.move!} />
export const TransferShipPage = () => <OperationPage op={OPS.transfer!} />
export const TransferReceivePage = () => <OperationPage op={OPS.transferReceive!} />
export const SellPage = () => <OperationPage op={OPS.sell!} />
export const ReturnPage = () => <OperationPage op={OPS.return!} />
export const RestockPage = () => <OperationPage op={OPS.restock!} />
export const FoundPage = () => <OperationPage op={OPS.found!} />
export const LostPage = () => <OperationPage op={OPS.lost!} />
export const ScrapPage = () => <OperationPage op={OPS.scrap!} />
