/*
 * Scan-driven stock operations (move, ship and receive a transfer, sell, customer return, restock, stock
 * found and lost, scrap; each one described in operation-configs.ts). Every scan is looked up and checked
 * against the unit state machine (the same table the server uses) before it joins the batch; the batch,
 * with any lot and quantity lines, is submitted as one ledger event.
 */
import { useMutation, useQuery } from '@tanstack/react-query'
import { type ReactNode, useLayoutEffect, useRef, useState } from 'react'
import { TRANSITIONS, transitionRefusal } from '../../../src/modules/units/unit-status.rules'
import { ApiError, newIdempotencyKey } from '../api'
import { useAuth } from '../auth'
import { QuantityLines } from '../components/QuantityLines'
import { emptyLine, filledLines, type QuantityLine, quantityLinesProblem, submitLabel } from '../quantity-lines'
import { DraftOffer, DraftTooLarge } from '../components/DraftOffer'
import {
  type BatchItem,
  BatchList,
  type Check,
  type CheckResult,
  FeedbackLine,
  LastRefusalLine,
  ScanField,
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
import { plural, STATUS_LABEL } from '../format'
import { afterWrite, queries } from '../queries'
import { Link } from '../router'
import { type Resolution, resolveLocation, resolveParty } from '../header-fields'
import { containerDetail, containerOfScan, containerUnits, isContainerScan, resolveScan } from '../scan/resolve-scan'
import { useScanFromUrl } from '../scan/scan-from-url'
import type { OperationResult } from '../types'
import { type FieldDef, OPS, type OpConfig, type Refs, type Values, valuesForNextBatch } from './operation-configs'

/** An operation's unsent batch as kept in the browser. */
interface OperationDraft {
  values: Values
  items: BatchItem[]
  lines: QuantityLine[]
}

function OperationPage({ op }: { op: OpConfig }) {
  const auth = useAuth()
  const refs = useOperationRefs(op)
  const fields = op.fields.filter((f) => !f.needs || auth.can(f.needs))
  const [values, setValues] = useState<Values>(() => Object.fromEntries(fields.map((f) => [f.name, ''])))
  const [lines, setLines] = useState<QuantityLine[]>(() => [emptyLine()])
  const [result, setResult] = useState<OperationResult | undefined>()
  const [submitError, setSubmitError] = useState<unknown>()
  const sending = useMutation({
    mutationFn: (args: Parameters<OpConfig['submit']>) => op.submit(...args),
    onSuccess: afterWrite.stock,
  })
  const busy = sending.isPending
  const idemKey = useRef(newIdempotencyKey())
  const scanInput = useRef<HTMLInputElement>(null)
  const trimmed = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v.trim()]))

  const check: Check = async (raw, ctx) => {
    // A container's scan (its SSCC label, or our code where no unit has it) takes its whole contents.
    const asContainer = async (): Promise<CheckResult | undefined> => {
      const container = await containerOfScan(raw)
      if (!container) return undefined
      const refusal = op.containerRule?.(container, trimmed)
      if (refusal) return { refuse: refusal }
      if (!ctx.reserve(`container:${container.code}`))
        return { refuse: `Duplicate: container ${container.code} is already in this batch` }
      return {
        item: {
          key: `container:${container.code}`,
          serial: container.code,
          container: container.code,
          containerUnits: containerUnits(container).length,
          detail: containerDetail(container),
        },
      }
    }
    if (op.takesContainers && isContainerScan(raw))
      return (await asContainer()) ?? { refuse: `${raw}: no container has this SSCC` }
    const r = await resolveScan(raw)
    if (!r.ok && r.reason === 'not-found' && op.takesContainers) {
      const packed = await asContainer()
      if (packed) return packed
    }
    if (!r.ok) return { refuse: r.message, wrongSku: r.reason === 'unknown-gtin' || r.reason === 'wrong-sku' }
    if (r.units.length > 1)
      return {
        refuse:
          `${raw}: serial exists for ${r.units.map((u) => u.sku.code).join(' and ')}; ` +
          'scan the GS1 barcode (with the GTIN) to pick one',
      }
    const u = r.units[0]!
    const refusal = transitionRefusal(op.event, { serial: u.serial, skuCode: u.sku.code, status: u.status })
    if (refusal)
      return {
        refuse:
          `${u.serial} is ${STATUS_LABEL[u.status].toLowerCase()}${u.location ? ` at ${u.location.code}` : ''}: ` +
          `cannot ${op.verb.toLowerCase()} ` +
          `(needs ${TRANSITIONS[op.event].from.map((s) => STATUS_LABEL[s].toLowerCase()).join(' or ')})`,
      }
    const rule = refs && op.unitRule?.(u, trimmed, refs)
    if (rule) return { refuse: rule }
    if (!ctx.reserve(u.id)) return { refuse: `Duplicate: ${u.serial} is already in this batch; not added again` }
    return {
      item: {
        key: u.id,
        unitId: u.id,
        serial: u.serial,
        sku: u.sku.code,
        detail:
          `${u.sku.name} · ${STATUS_LABEL[u.status]}${u.location ? ` at ${u.location.code}` : ''}` +
          `${u.customer ? ` · sold to ${u.customer.name}` : ''}`,
      },
    }
  }
  const takeDraft = useRef<() => void>(undefined)
  const batch = useScanBatch(check, { beforeScan: () => takeDraft.current?.() })
  useScanFromUrl(batch.scan, refs !== undefined)
  const hasWork = batch.items.length > 0 || filledLines(lines).length > 0
  const draft = useDraft<OperationDraft>({
    user: auth.user?.username,
    operation: op.event,
    current: hasWork
      ? { data: { values, items: batch.items, lines }, size: batch.items.length + filledLines(lines).length }
      : undefined,
    restore: (d) => {
      setValues((v) => ({ ...d.values, ...Object.fromEntries(Object.entries(v).filter(([, x]) => x.trim())) }))
      if (filledLines(d.lines).length > 0) setLines(d.lines)
      batch.restore(d.items)
    },
    leaveQuestion: `${plural(batch.items.length, 'scanned unit')} not sent yet. Leave this page? They stay as a draft.`,
  })
  useLayoutEffect(() => {
    takeDraft.current = draft.offer ? draft.accept : undefined
  })

  const startNext = () => {
    setResult(undefined)
    setValues((v) => valuesForNextBatch(fields, v))
    focusScanSoon(() => scanInput.current)
  }
  usePageScans(batch, () => scanInput.current, result ? startNext : undefined)

  const missing = fields.filter((f) => f.required && !trimmed[f.name])
  const isEmpty = batch.items.length === 0 && filledLines(lines).length === 0
  const submit = async () => {
    if (busy) return
    setSubmitError(undefined)
    if (missing.length > 0) return setSubmitError(new Error(`Fill in: ${missing.map((f) => f.label).join(', ')}`))
    if (isEmpty && !op.allowEmpty)
      return setSubmitError(
        new Error(op.quantities ? 'Scan at least one unit or fill in a quantity line' : 'Scan at least one unit'),
      )
    const problem =
      op.quantities && quantityLinesProblem(lines, refs?.skus ?? [], op.quantities.locationField !== undefined)
    if (problem) return setSubmitError(new Error(problem))
    try {
      const units = batch.items.filter((i) => !i.container).map((i) => ({ serial: i.serial, sku: i.sku! }))
      const containers = batch.items.flatMap((i) => (i.container ? [i.container] : []))
      const res = await sending.mutateAsync([trimmed, units, lines, idemKey.current, containers])
      setResult(res)
      draft.forget()
      batch.clear()
      setLines([emptyLine()])
      idemKey.current = newIdempotencyKey()
    } catch (e) {
      setSubmitError(e)
      if (e instanceof ApiError) batch.refusedSubmit(e.issues, e.detail)
    }
  }
  useSubmitShortcut(() => void submit(), !result)

  const r = refs
  const fieldIds = fields.map((f) => `op-${f.name}`)
  const requiredIds = fields.filter((f) => f.required).map((f) => `op-${f.name}`)
  const nextField = () => setTimeout(() => focusNextEmpty(requiredIds, scanInput.current), 0)
  const input = (f: FieldDef, index: number): ReactNode => {
    const resolve = headerResolver(f, r)
    if (resolve)
      return (
        <CodeField
          key={f.name}
          id={`op-${f.name}`}
          label={f.label}
          value={values[f.name] ?? ''}
          onChange={(v) => setValues((s) => ({ ...s, [f.name]: v }))}
          resolve={resolve}
          required={f.required}
          hint={f.hint}
          options={
            f.kind === 'location'
              ? r?.locations.map((l) => ({ value: l.code, label: `${l.name} (${l.level})` }))
              : r?.customers.map((c) => ({ value: c.code, label: c.name }))
          }
          autoFocus={index === 0}
          onEnter={nextField}
        />
      )
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
        autoFocus={index === 0 && !draft.offer}
      />
    )
  }

  if (result)
    return (
      <section className="page">
        <PageTitle>{op.title}: done</PageTitle>
        <div className="card success-box" role="status">
          <p>
            <strong>{plural(result.unitCount, 'unit')}</strong> recorded on{' '}
            <Link to={`/documents/${op.docType}/${encodeURIComponent(result.number)}`}>{result.number}</Link> (ledger
            event #{result.eventSeq}).
          </p>
          <button className="button primary" type="button" autoFocus onClick={startNext}>
            Next batch
          </button>
        </div>
      </section>
    )

  return (
    <section className="page">
      <PageTitle>{op.title}</PageTitle>
      <DraftOffer draft={draft} what="batch" onDone={() => focusScanSoon(() => scanInput.current)} />
      <div className="op-layout">
        <div className="card op-form">
          <OpHeader isSet={missing.length === 0} summary={headerSummary(fields, trimmed)} firstFieldId={fieldIds[0]}>
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
          </OpHeader>
        </div>
        <div className="card op-scan">
          <ScanField batch={batch} label="Scan unit" id="scan" inputRef={scanInput} />
          <ScanStatus>
            <FeedbackLine feedback={batch.feedback} pending={batch.pending} />
            <LastRefusalLine batch={batch} />
            <Tally>
              <TallyItem label="Scanned" value={batch.items.length} tone="ok" />
              <TallyItem label="Refused" value={batch.refusedCount} tone={batch.refusedCount ? 'error' : undefined} />
              {op.event === 'sold' && !trimmed.price && batch.items.length > 0 && (
                <span className="muted">list prices apply</span>
              )}
            </Tally>
          </ScanStatus>
          <SubmitRow
            batch={batch}
            label={
              busy
                ? 'Saving…'
                : isEmpty && op.allowEmpty
                  ? op.allowEmpty
                  : submitLabel(
                      op.verb,
                      batch.items.reduce((n, i) => n + (i.containerUnits ?? 1), 0),
                      lines,
                    )
            }
            disabled={busy || (isEmpty && !op.allowEmpty)}
            onSubmit={() => void submit()}
            scanned="units"
            onClear={() => draft.forget()}
          />
          <ErrorBox error={submitError} />
          <DraftTooLarge draft={draft} />
          <BatchList batch={batch} scanInput={scanInput} />
        </div>
      </div>
    </section>
  )
}

/** How a location or customer field resolves what is typed or scanned into it; none for other fields. */
function headerResolver(f: FieldDef, refs: Refs | undefined): ((text: string) => Resolution) | undefined {
  if (f.kind === 'location') return (t) => resolveLocation(t, refs?.locations ?? [])
  if (f.kind === 'customer') return (t) => resolveParty(t, refs?.customers ?? [], 'customer')
  return undefined
}

/** The header's values in one line, for the folded header on a phone. */
const headerSummary = (fields: FieldDef[], v: Values) =>
  fields
    .filter((f) => v[f.name])
    .map((f) => `${f.label}: ${v[f.name]}`)
    .join(' · ')

/**
 * What an operation's form picks from: locations, customers, the SKUs of its quantity lines, and the
 * open transfers when it asks for one; undefined until all of it is in.
 */
function useOperationRefs(op: OpConfig): Refs | undefined {
  const needsTransfers = op.fields.some((f) => f.kind === 'transfer')
  const locations = useQuery(queries.allLocations)
  const parties = useQuery(queries.allParties)
  const skus = useQuery({ ...queries.allSkus, enabled: op.quantities !== undefined })
  const transfers = useQuery({ ...queries.documents({ type: 'transfer', limit: 200 }), enabled: needsTransfers })
  if (!locations.data || !parties.data) return undefined
  if ((op.quantities && !skus.data) || (needsTransfers && !transfers.data)) return undefined
  return {
    locations: locations.data,
    customers: parties.data.filter((p) => p.role === 'customer'),
    transfers: transfers.data?.map((t) => t.number) ?? [],
    skus: skus.data ?? [],
  }
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
export const ReleasePage = () => <OperationPage op={OPS.release!} />
