/*
 * Cycle counts: the list (a manager starts one), the count screen built for a scanner (scan field, live
 * tally, no expected list) and the reconciliation review with bulk actions and the close.
 */
import { useMutation, useQuery } from '@tanstack/react-query'
import { type FormEvent, type ReactNode, useEffect, useRef, useState } from 'react'
import { api, newIdempotencyKey } from '../api'
import { useAuth } from '../auth'
import {
  type Column,
  DataTable,
  ErrorBox,
  Field,
  KeyValues,
  Loading,
  PageTitle,
  StatCard,
  TableCard,
} from '../components/ui'
import { Loaded } from '../components/Loaded'
import { fmtDateTime, fmtInt, fmtMoney, plural } from '../format'
import { afterWrite, queries } from '../queries'
import { Link, navigate } from '../router'
import { beepError, beepWarn, primeAudio } from '../scan/feedback'
import type { CountScanResult, ReconciledUnit } from '../types'

const countPath = (number: string) => `/counts/${encodeURIComponent(number)}`

export function CountsPage() {
  const auth = useAuth()
  const list = useQuery(queries.counts)
  return (
    <section className="page">
      <PageTitle>Cycle counts</PageTitle>
      {auth.can('stock.adjust') && <StartCount />}
      <ErrorBox error={list.error} />
      {list.data ? (
        <DataTable
          label="Counts"
          testId="counts"
          rows={list.data}
          rowKey={(c) => c.number}
          empty="No counts yet."
          columns={[
            { header: 'Number', cell: (c) => <Link to={countPath(c.number)}>{c.number}</Link> },
            { header: 'Location', cell: (c) => c.location },
            { header: 'SKUs', cell: (c) => (c.skus.length ? c.skus.join(', ') : 'all') },
            { header: 'Blind', cell: (c) => (c.isBlind ? 'yes' : 'no') },
            { header: 'Status', cell: (c) => c.status },
            { header: 'Started', cell: (c) => `${fmtDateTime(c.startedAt)} by ${c.startedBy}` },
          ]}
        />
      ) : (
        list.isPending && <Loading />
      )}
    </section>
  )
}

/** A manager opens a count of a location subtree; `location` prefills it (a count task from an exception). */
export function StartCount({ location = '', reason = '' }: { location?: string; reason?: string }) {
  const locations = useQuery(queries.allLocations)
  const [v, setV] = useState({ location, skus: '', withExpected: false })
  const start = useMutation({
    mutationFn: () =>
      api.startCount(
        {
          location: v.location.trim(),
          skus: v.skus.split(/[\s,]+/).filter(Boolean),
          withExpected: v.withExpected,
          ...(reason && { reason }),
        },
        newIdempotencyKey(),
      ),
    onSuccess: async (r) => {
      await afterWrite.count()
      navigate(countPath(r.number))
    },
  })
  const submit = (e: FormEvent) => {
    e.preventDefault()
    start.mutate()
  }
  return (
    <form className="card form-row" onSubmit={submit} aria-label="Start a count">
      <Field
        label="Location to count"
        value={v.location}
        onChange={(location) => setV({ ...v, location })}
        options={locations.data?.map((l) => ({ value: l.code, label: l.name }))}
        required
        hint="the whole subtree is counted"
      />
      <Field label="Only SKUs (optional)" value={v.skus} onChange={(skus) => setV({ ...v, skus })} />
      <label className="check">
        <input
          type="checkbox"
          checked={v.withExpected}
          onChange={(e) => setV({ ...v, withExpected: e.target.checked })}
        />{' '}
        Show counters what is expected (not blind)
      </label>
      <button className="button primary" type="submit" disabled={start.isPending}>
        Start count
      </button>
      <ErrorBox error={start.error} />
    </form>
  )
}

interface Scan {
  key: string
  serial?: string
  sku?: string
  lot?: string
  quantity?: number
}
interface Line {
  key: string
  text: string
  tone: 'ok' | 'warn' | 'error' | 'pending'
  message: string
}

/**
 * The count screen: scans go out in batches with one idempotency key each, so a scanner that loses its
 * connection sends them again and nothing is counted twice. The counter sees the tally, never the
 * expected list.
 */
export function CountPage({ number }: { number: string }) {
  const auth = useAuth()
  const tally = useQuery(queries.count(number))
  const locations = useQuery(queries.allLocations)
  const [chosenLocation, setLocation] = useState('')
  const [code, setCode] = useState('')
  const [qty, setQty] = useState({ sku: '', lot: '', quantity: '' })
  const [pending, setPending] = useState<Scan[]>([])
  const [lines, setLines] = useState<Line[]>([])
  const [offline, setOffline] = useState<string | null>(null)
  const sending = useRef(false)
  const input = useRef<HTMLInputElement>(null)
  const count = tally.data?.count
  // Where the counter is: the location they chose, else the counted location itself.
  const location = chosenLocation || count?.location || ''

  const mark = (keys: string[], tone: Line['tone'], message: (k: string) => string) =>
    setLines((all) => all.map((l) => (keys.includes(l.key) ? { ...l, tone, message: message(l.key) } : l)))

  useEffect(() => {
    if (pending.length === 0 || sending.current) return
    sending.current = true
    const batch = pending.slice(0, 100)
    const keys = batch.map((s) => s.key)
    api
      .scanCount(number, { location, scans: batch })
      .then((r: CountScanResult) => {
        setOffline(null)
        const flags = new Map(r.flags.map((f) => [f.key, f]))
        if (r.flags.some((f) => f.flag !== 'repeat')) beepWarn()
        mark(keys, 'ok', () => 'counted')
        for (const [key, f] of flags) mark([key], 'warn', () => f.message)
        setPending((p) => p.filter((s) => !keys.includes(s.key)))
        void afterWrite.count()
      })
      .catch((e: unknown) => {
        const status = (e as { status?: number }).status
        if (status !== undefined && status < 500) {
          // Refused (a closed count, a bad scan): these scans will never count; say so and drop them.
          beepError()
          mark(keys, 'error', () => (e as Error).message)
          setPending((p) => p.filter((s) => !keys.includes(s.key)))
        } else {
          // No answer: keep the scans and send them again with the same keys.
          setOffline('Connection lost: the scans are kept and sent again.')
          setTimeout(() => setPending((p) => [...p]), 2000)
        }
      })
      .finally(() => {
        sending.current = false
      })
  }, [pending, number, location])

  const add = (scan: Omit<Scan, 'key'>, text: string) => {
    const key = newIdempotencyKey()
    setPending((p) => [...p, { key, ...scan }])
    setLines((l) => [{ key, text, tone: 'pending' as const, message: 'sending…' }, ...l].slice(0, 200))
  }
  const onScan = (e: FormEvent) => {
    e.preventDefault()
    primeAudio()
    const serial = code.trim()
    if (!serial) return
    add({ serial }, serial)
    setCode('')
    input.current?.focus()
  }
  const onQuantity = (e: FormEvent) => {
    e.preventDefault()
    const quantity = Number(qty.quantity)
    if (!qty.sku.trim() || !Number.isInteger(quantity) || quantity <= 0) return
    add(
      { sku: qty.sku.trim(), quantity, ...(qty.lot.trim() && { lot: qty.lot.trim() }) },
      `${qty.sku} ${qty.lot} × ${quantity}`,
    )
    setQty({ sku: qty.sku, lot: qty.lot, quantity: '' })
  }
  const recount = useMutation({
    mutationFn: () => api.recount(number, { location }, newIdempotencyKey()),
    onSuccess: () => afterWrite.count(),
  })

  if (tally.error)
    return (
      <section className="page">
        <PageTitle>Count {number}</PageTitle>
        <ErrorBox error={tally.error} />
      </section>
    )
  if (!tally.data || !count) return <Loading what="Loading the count" />
  const isOpen = count.status === 'open'
  return (
    <section className="page" data-ready="count">
      <PageTitle
        actions={
          auth.can('stock.adjust') || !count.isBlind ? (
            <Link className="button" to={`${countPath(number)}/review`}>
              Review
            </Link>
          ) : undefined
        }
      >
        Count {number}
      </PageTitle>
      <p className="lead">
        {count.location}
        {count.skus.length > 0 && ` · ${count.skus.join(', ')}`} · {count.isBlind ? 'blind' : 'with expected'} ·{' '}
        {count.status}
      </p>
      <div className="cards">
        <StatCard
          label="Scans recorded"
          value={fmtInt(tally.data.scans)}
          testId="tally"
          note={pending.length > 0 ? `${plural(pending.length, 'scan')} sending` : 'all sent'}
        />
      </div>
      {offline && (
        <p className="error-box" role="status">
          {offline}
        </p>
      )}
      {isOpen ? (
        <div className="grid-2">
          <form className="card" onSubmit={onScan} aria-label="Scan">
            <Field
              label="Counting at"
              value={location}
              onChange={setLocation}
              options={locations.data?.map((l) => ({ value: l.code, label: l.name }))}
            />
            <div className="field">
              <label htmlFor="count-scan">Scan a serial</label>
              <input
                id="count-scan"
                ref={input}
                value={code}
                onChange={(e) => setCode(e.target.value)}
                autoFocus
                autoComplete="off"
              />
            </div>
            <button className="button primary" type="submit">
              Add scan
            </button>{' '}
            {auth.can('stock.adjust') && (
              <button type="button" className="button" onClick={() => recount.mutate()} disabled={recount.isPending}>
                Recount {location}
              </button>
            )}
            <ErrorBox error={recount.error} />
          </form>
          <form className="card" onSubmit={onQuantity} aria-label="Count a quantity">
            <Field label="SKU" value={qty.sku} onChange={(sku) => setQty({ ...qty, sku })} />
            <Field label="Lot" value={qty.lot} onChange={(lot) => setQty({ ...qty, lot })} />
            <Field
              label="Quantity"
              value={qty.quantity}
              inputMode="numeric"
              onChange={(quantity) => setQty({ ...qty, quantity })}
            />
            <button className="button" type="submit">
              Add quantity
            </button>
          </form>
        </div>
      ) : (
        <p>This count is closed.</p>
      )}
      <div className="card">
        <h2>Your scans</h2>
        <ul className="scan-lines" data-testid="scan-lines">
          {lines.map((l) => (
            <li key={l.key} className={`scan-line ${l.tone}`} data-tone={l.tone}>
              <code>{l.text}</code> {l.message}
            </li>
          ))}
        </ul>
      </div>
      <TableCard
        title="By location"
        label="Scans by location"
        rows={tally.data.perLocation}
        rowKey={(l) => l.location}
        empty="No scans yet."
        columns={[
          { header: 'Location', cell: (l) => l.location },
          { header: 'Scans', cell: (l) => fmtInt(l.scans), numeric: true },
          { header: 'Units', cell: (l) => fmtInt(l.units), numeric: true },
        ]}
      />
    </section>
  )
}

/** The reconciliation: each bucket at cost, with bulk actions, and the close (a manager). */
export function CountReviewPage({ number }: { number: string }) {
  const r = useQuery(queries.reconciliation(number))
  return (
    <Loaded title={`Review ${number}`} query={r} loading="Reconciling">
      {(data) => <Review number={number} r={data} />}
    </Loaded>
  )
}

function Review({ number, r }: { number: string; r: import('../types').Reconciliation }) {
  const auth = useAuth()
  const [picked, setPicked] = useState<Set<string>>(new Set())
  const toggle = (id: string) =>
    setPicked((p) => {
      const next = new Set(p)
      if (next.has(id)) next.delete(id)
      else next.add(id)
      return next
    })
  const chosen = (items: ReconciledUnit[]) => items.filter((i) => picked.has(i.unitId))
  const moveNow = useMutation({
    mutationFn: async () => {
      const byPlace = new Map<string, ReconciledUnit[]>()
      for (const i of chosen(r.misplaced.items))
        byPlace.set(i.seenAt ?? '', [...(byPlace.get(i.seenAt ?? '') ?? []), i])
      for (const [to, items] of byPlace)
        await api.move(
          { to, units: items.map((i) => ({ serial: i.serial, sku: i.sku })), reason: `count ${number}` },
          newIdempotencyKey(),
        )
    },
    onSuccess: () => afterWrite.count(),
  })
  const recountZones = useMutation({
    mutationFn: async () => {
      for (const zone of new Set(chosen(r.missing.items).map((i) => i.recordedAt ?? '')))
        if (zone) await api.recount(number, { location: zone }, newIdempotencyKey())
    },
    onSuccess: () => afterWrite.count(),
  })
  const close = useMutation({
    mutationFn: () => api.closeCount(number, {}, newIdempotencyKey()),
    onSuccess: () => afterWrite.count(),
  })
  const isOpen = r.count.status === 'open'
  const pick = {
    header: 'Pick',
    cell: (i: ReconciledUnit) => (
      <input
        type="checkbox"
        aria-label={`pick ${i.serial}`}
        checked={picked.has(i.unitId)}
        onChange={() => toggle(i.unitId)}
      />
    ),
  }
  const unitColumns = [
    { header: 'Serial', cell: (i: ReconciledUnit) => <Link to={`/units/${i.unitId}`}>{i.serial}</Link> },
    { header: 'SKU', cell: (i: ReconciledUnit) => i.sku },
    { header: 'Recorded at', cell: (i: ReconciledUnit) => i.recordedAt ?? '—' },
    { header: 'Seen at', cell: (i: ReconciledUnit) => i.seenAt ?? '—' },
    {
      header: 'Status',
      cell: (i: ReconciledUnit) => (i.statusAtScan === i.status ? i.status : `${i.statusAtScan} → ${i.status}`),
    },
    { header: 'Cost', cell: (i: ReconciledUnit) => fmtMoney(i.cost), numeric: true },
  ]
  return (
    <section className="page" data-ready="review">
      <PageTitle
        actions={
          <>
            <a className="button" href={`/api/v1/counts/${encodeURIComponent(number)}/export`}>
              Export CSV
            </a>
            {isOpen && auth.can('stock.adjust') && (
              <button className="button primary" onClick={() => close.mutate()} disabled={close.isPending}>
                Close count
              </button>
            )}
          </>
        }
      >
        Review {number}
      </PageTitle>
      <ErrorBox error={close.error ?? moveNow.error ?? recountZones.error} />
      {close.data && (
        <p className="ok-box" role="status">
          Closed: {close.data.missing} missing, {close.data.moved} moved, {close.data.found} found.
        </p>
      )}
      <KeyValues
        rows={[
          ['Status', r.count.status],
          ['Scans', fmtInt(r.scans)],
          ['Found as expected', `${fmtInt(r.found.units)} (${fmtMoney(r.found.value)})`],
          ['Scanned twice', fmtInt(r.repeats)],
          ['Changed during the count, not scanned', fmtInt(r.changedDuringCount)],
        ]}
      />
      <UnitBucket id="missing" title="Missing" bucket={r.missing} columns={[pick, ...unitColumns]}>
        {isOpen && (
          <button className="button" onClick={() => recountZones.mutate()} disabled={recountZones.isPending}>
            Recount the zones of the picked units
          </button>
        )}
      </UnitBucket>
      <UnitBucket id="misplaced" title="Misplaced" bucket={r.misplaced} columns={[pick, ...unitColumns]}>
        <button className="button" onClick={() => moveNow.mutate()} disabled={moveNow.isPending}>
          Move the picked units to where they were scanned
        </button>
      </UnitBucket>
      <UnitBucket
        id="other"
        title="In another status (red flag)"
        label="Other status"
        bucket={r.otherStatus}
        columns={unitColumns}
      />
      <div className="card" data-testid="bucket-unknown">
        <h2>Unknown serials: {fmtInt(r.unknown.units)}</h2>
        <DataTable
          label="Unknown serials"
          rows={r.unknown.items}
          rowKey={(u) => `${u.serial}-${u.scannedAt}`}
          empty="None."
          columns={[
            { header: 'Serial', cell: (u) => <code>{u.serial}</code> },
            { header: 'Seen at', cell: (u) => u.seenAt },
            { header: 'By', cell: (u) => u.scannedBy },
          ]}
        />
      </div>
      <TableCard
        title="Quantity variances"
        rows={r.quantities}
        rowKey={(q) => `${q.sku}-${q.lot}-${q.location}`}
        empty="None."
        columns={[
          { header: 'SKU', cell: (q) => q.sku },
          { header: 'Lot', cell: (q) => q.lot ?? '—' },
          { header: 'Location', cell: (q) => q.location },
          { header: 'On hand', cell: (q) => fmtInt(q.onHand), numeric: true },
          { header: 'Counted', cell: (q) => fmtInt(q.counted), numeric: true },
          { header: 'Variance', cell: (q) => fmtInt(q.variance), numeric: true },
          { header: 'Value', cell: (q) => fmtMoney(q.value), numeric: true },
        ]}
      />
    </section>
  )
}

/**
 * One bucket of the reconciliation on its card (`bucket-<id>`): its heading with the units and their value
 * at cost, the actions on its picked units (`children`), and the units (the table labelled `label`, else `title`).
 */
function UnitBucket({
  id,
  title,
  label = title,
  bucket,
  columns,
  children,
}: {
  id: string
  title: string
  label?: string
  bucket: { units: number; value: number; items: ReconciledUnit[] }
  columns: Column<ReconciledUnit>[]
  children?: ReactNode
}) {
  return (
    <div className="card" data-testid={`bucket-${id}`}>
      <h2>
        {title}: {fmtInt(bucket.units)} ({fmtMoney(bucket.value)})
      </h2>
      {children}
      <DataTable label={label} rows={bucket.items} rowKey={(i) => i.unitId} empty="None." columns={columns} />
    </div>
  )
}
