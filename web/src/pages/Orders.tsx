/*
 * Sales orders: the list, the order page (lines with shipped and back-ordered, shipments, cancel), a new
 * order form, the pick list of one order or a wave, and the scan-to-fulfil screen: every scan is checked
 * against the order by the server (right SKU, still needed, in stock at the site) and answered at once.
 */
import { useMutation, useQuery } from '@tanstack/react-query'
import { useLayoutEffect, useRef, useState } from 'react'
import { api, ApiError, newIdempotencyKey } from '../api'
import { ListPage } from '../components/ListPage'
import { Loaded } from '../components/Loaded'
import {
  BatchList,
  type Check,
  FeedbackLine,
  ScanField,
  Tally,
  TallyItem,
  useScanBatch,
  useSubmitShortcut,
} from '../components/ScanBatch'
import { DataTable, ErrorBox, Field, Form, KeyValues, PageTitle, TableCard } from '../components/ui'
import { fmtDate, fmtDateTime, fmtInt, fmtMoney } from '../format'
import { afterWrite, queries } from '../queries'
import { Link, navigate, useLocation } from '../router'

const STATUSES = ['open', 'partially_shipped', 'shipped', 'cancelled'] as const
const statusLabel = (s: string) => s.replace('_', ' ')
const orderPath = (number: string) => `/orders/${encodeURIComponent(number)}`

export function OrdersPage() {
  return (
    <section>
      <ListPage
        title="Sales orders"
        filters={[
          { name: 'status', label: 'Status', options: STATUSES.map((s) => ({ value: s, label: statusLabel(s) })) },
          { name: 'search', label: 'Number or external ref' },
        ]}
        query={(f) =>
          queries.orders({
            status: f.status as (typeof STATUSES)[number] | undefined,
            search: f.search,
            limit: 200,
          })
        }
        table={{
          label: 'Sales orders',
          rowKey: (o) => o.id,
          empty: 'No orders.',
          columns: [
            { header: 'Number', cell: (o) => <Link to={orderPath(o.number)}>{o.number}</Link> },
            { header: 'External ref', cell: (o) => o.externalRef ?? '—' },
            { header: 'Customer', cell: (o) => o.customer ?? '—' },
            {
              header: 'Status',
              cell: (o) => <span className={`badge order-${o.status}`}>{statusLabel(o.status)}</span>,
            },
            { header: 'Shipped', cell: (o) => `${fmtInt(o.shipped)} / ${fmtInt(o.ordered)}`, numeric: true },
            { header: 'Ship by', cell: (o) => fmtDate(o.shipBy) },
            { header: 'Placed', cell: (o) => fmtDateTime(o.placedAt) },
          ],
        }}
      >
        <p>
          <Link className="button" to="/orders/new">
            New order
          </Link>
        </p>
      </ListPage>
    </section>
  )
}

export function OrderPage({ number }: { number: string }) {
  const order = useQuery(queries.order(number))
  const cancel = useMutation({
    mutationFn: () => api.cancelOrder(number, {}, newIdempotencyKey()),
    onSuccess: afterWrite.stock,
  })
  return (
    <Loaded title={<>Order {number}</>} query={order}>
      {(o) => {
        const isOpen = o.status === 'open' || o.status === 'partially_shipped'
        return (
          <section className="page">
            <PageTitle
              actions={
                isOpen && (
                  <>
                    <Link className="button" to={`/pick-list?orders=${encodeURIComponent(o.number)}`}>
                      Pick list
                    </Link>
                    <Link className="button primary" to={`${orderPath(o.number)}/fulfil`}>
                      Scan to fulfil
                    </Link>
                    <button
                      type="button"
                      className="button"
                      disabled={cancel.isPending}
                      onClick={() => confirm(`Cancel what is open of ${o.number}?`) && cancel.mutate()}
                    >
                      Cancel order
                    </button>
                  </>
                )
              }
            >
              <span className="muted title-kicker">sales order</span> {o.number}{' '}
              <span className={`badge order-${o.status}`} data-testid="order-status">
                {statusLabel(o.status)}
              </span>
            </PageTitle>
            <ErrorBox error={cancel.error} />
            <div className="grid-2">
              <div className="card">
                <KeyValues
                  rows={[
                    ['External ref', o.externalRef ?? '—'],
                    ['Customer', o.customer ?? '—'],
                    ['Ships from', o.site ?? '—'],
                    ['Ship by', fmtDate(o.shipBy)],
                    ['Source', o.source],
                    ['Placed', fmtDateTime(o.placedAt)],
                  ]}
                />
              </div>
              <TableCard
                title="Shipments"
                rows={o.shipments}
                rowKey={(s) => s.eventSeq}
                empty="Nothing shipped yet."
                columns={[
                  { header: 'Event', cell: (s) => s.eventSeq },
                  { header: 'When', cell: (s) => fmtDateTime(s.occurredAt) },
                  { header: 'Serials', cell: (s) => s.serials.join(', ') || '—' },
                  { header: 'Quantity', cell: (s) => fmtInt(s.quantity), numeric: true },
                ]}
              />
            </div>
            <TableCard
              title="Lines"
              label="Order lines"
              testId="order-lines"
              rows={o.lines}
              rowKey={(l) => `${l.sku}-${l.quantity}-${l.price}`}
              columns={[
                { header: 'SKU', cell: (l) => `${l.sku} ${l.name}` },
                { header: 'Ordered', cell: (l) => fmtInt(l.quantity), numeric: true },
                { header: 'Shipped', cell: (l) => fmtInt(l.shipped), numeric: true },
                {
                  header: 'Open',
                  cell: (l) => (l.open > 0 && l.shipped > 0 ? `${fmtInt(l.open)} back-ordered` : fmtInt(l.open)),
                  numeric: true,
                },
                { header: 'Reserved', cell: (l) => fmtInt(l.reserved), numeric: true },
                { header: 'Price', cell: (l) => fmtMoney(l.price), numeric: true },
              ]}
            />
          </section>
        )
      }}
    </Loaded>
  )
}

/** A new order: customer, site, ship date and lines typed as `SKU quantity [price]`, one per line. */
export function NewOrderPage() {
  const [form, setForm] = useState({ externalRef: '', customer: '', site: '', shipBy: '', lines: '' })
  const [problem, setProblem] = useState<string | undefined>()
  const key = useRef(newIdempotencyKey())
  const place = useMutation({
    mutationFn: (body: Parameters<typeof api.placeOrder>[0]) => api.placeOrder(body, key.current),
    onSuccess: async (r) => {
      await afterWrite.stock()
      navigate(orderPath(r.number))
    },
  })
  const set = (k: keyof typeof form) => (v: string) => setForm({ ...form, [k]: v })
  const submit = () => {
    const lines = form.lines
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .map((l) => {
        const [sku = '', quantity = '', price] = l.split(/[\s,;]+/)
        return { sku, quantity: Number(quantity), ...(price !== undefined && { price: Number(price) }) }
      })
    const bad = lines.findIndex((l) => !Number.isInteger(l.quantity) || l.quantity < 1)
    if (lines.length === 0) return setProblem('Add at least one line: SKU and quantity.')
    if (bad >= 0) return setProblem(`Line ${bad + 1}: the quantity must be a whole number of at least 1.`)
    setProblem(undefined)
    place.mutate({
      source: 'ui',
      lines,
      ...(form.externalRef && { externalRef: form.externalRef }),
      ...(form.customer && { customer: form.customer }),
      ...(form.site && { site: form.site }),
      ...(form.shipBy && { shipBy: form.shipBy }),
    })
  }
  return (
    <section className="page">
      <PageTitle>New sales order</PageTitle>
      <Form className="card" onSubmit={submit}>
        <Field label="External ref" value={form.externalRef} onChange={set('externalRef')} autoFocus />
        <Field label="Customer code" value={form.customer} onChange={set('customer')} />
        <Field label="Ships from (site code)" value={form.site} onChange={set('site')} />
        <Field label="Ship by" type="date" value={form.shipBy} onChange={set('shipBy')} />
        <div className="field">
          <label htmlFor="order-lines">Lines (SKU quantity [price], one per line)</label>
          <textarea id="order-lines" rows={6} value={form.lines} onChange={(e) => set('lines')(e.target.value)} />
        </div>
        {problem && (
          <p className="error" role="alert">
            {problem}
          </p>
        )}
        <ErrorBox error={place.error} />
        <button className="button primary" type="submit" disabled={place.isPending}>
          Place order
        </button>
      </Form>
    </section>
  )
}

/** Where to pick one order or a wave (`?orders=SO-1,SO-2`). */
export function PickListPage() {
  const loc = useLocation()
  const orders = (loc.query.get('orders') ?? '').split(',').filter(Boolean)
  const list = useQuery({ ...queries.pickList(orders), enabled: orders.length > 0 })
  return (
    <Loaded title={<>Pick list</>} query={list}>
      {(p) => (
        <section className="page">
          <PageTitle>Pick list {p.orders.join(', ')}</PageTitle>
          <div className="card">
            <DataTable
              label="Pick list"
              testId="pick-list"
              rows={p.lines}
              rowKey={(l) => `${l.order}-${l.sku}`}
              empty="Nothing left to pick."
              columns={[
                { header: 'Order', cell: (l) => <Link to={orderPath(l.order)}>{l.order}</Link> },
                { header: 'SKU', cell: (l) => `${l.sku} ${l.name}` },
                { header: 'Open', cell: (l) => fmtInt(l.open), numeric: true },
                {
                  header: 'Pick',
                  cell: (l) => (
                    <ul className="plain">
                      {l.picks.map((k, i) => (
                        <li key={i}>
                          {k.serial ? <code>{k.serial}</code> : fmtInt(k.quantity)} at {k.location}
                        </li>
                      ))}
                    </ul>
                  ),
                },
                { header: 'Short', cell: (l) => (l.short > 0 ? fmtInt(l.short) : '—'), numeric: true },
              ]}
            />
          </div>
        </section>
      )}
    </Loaded>
  )
}

/**
 * Scan to fulfil: each scan is checked against the order and, when accepted, stored as picked for it
 * (an `order_picked` event: the unit is reserved for this order, and "already picked" holds on every
 * device and after a reload); shipping sends every unit picked for the order as one sale.
 */
export function FulfilPage({ number }: { number: string }) {
  const order = useQuery(queries.order(number))
  const scanInput = useRef<HTMLInputElement>(null)
  const pickedRef = useRef<string[]>([])
  const check: Check = async (raw, ctx) => {
    const r = await api.scanCheck(number, { serial: raw, picked: pickedRef.current })
    if (!r.ok) return { refuse: r.message }
    if (!ctx.reserve(r.serial)) return { refuse: `${r.serial} is already picked for this order` }
    try {
      await api.pickOrder(number, { units: [r.serial] }, newIdempotencyKey())
    } catch (e) {
      if (e instanceof ApiError) return { refuse: e.issues?.[0]?.message ?? e.detail }
      throw e
    }
    return { item: { key: r.serial, serial: r.serial, sku: r.sku ?? undefined, detail: r.message } }
  }
  const batch = useScanBatch(check)
  useLayoutEffect(() => {
    pickedRef.current = batch.items.map((i) => i.serial)
  })
  const [done, setDone] = useState<string | undefined>()
  const key = useRef(newIdempotencyKey())
  const toShip = () => [...new Set([...(order.data?.picked ?? []), ...batch.items.map((i) => i.serial)])]
  const ship = useMutation({
    mutationFn: () => api.shipOrder(number, { units: toShip() }, key.current),
    onSuccess: afterWrite.stock,
  })
  const submit = async () => {
    if (toShip().length === 0 || ship.isPending) return
    try {
      const r = await ship.mutateAsync()
      key.current = newIdempotencyKey()
      setDone(`Shipped ${fmtInt(r.unitCount)} unit(s) on ${r.number} (event ${r.eventSeq}).`)
      batch.clear()
      await order.refetch()
    } catch (e) {
      if (e instanceof ApiError) batch.refusedSubmit(e.issues, e.detail)
    }
  }
  useSubmitShortcut(() => void submit(), true)
  return (
    <Loaded title={<>Fulfil {number}</>} query={order}>
      {(o) => {
        const open = o.lines.filter((l) => l.tracking === 'serial').reduce((n, l) => n + l.open, 0)
        return (
          <section className="page">
            <PageTitle
              actions={
                <Link className="button" to={orderPath(o.number)}>
                  Back to order
                </Link>
              }
            >
              Fulfil {o.number}{' '}
              <span className={`badge order-${o.status}`} data-testid="order-status">
                {statusLabel(o.status)}
              </span>
            </PageTitle>
            {done && (
              <div className="card success-box" role="status">
                {done}
              </div>
            )}
            <div className="op-layout">
              <div className="card op-form">
                <h2>Still to pick</h2>
                <ul className="plain" data-testid="open-lines">
                  {o.lines
                    .filter((l) => l.open > 0)
                    .map((l) => (
                      <li key={l.sku}>
                        {l.sku} {l.name}: {fmtInt(l.open)}
                      </li>
                    ))}
                </ul>
              </div>
              <div className="card op-scan">
                <ScanField batch={batch} label="Scan unit" id="fulfil-scan" inputRef={scanInput} />
                <FeedbackLine feedback={batch.feedback} pending={batch.pending} />
                <Tally>
                  <TallyItem label="Picked" value={toShip().length} tone="ok" />
                  <TallyItem label="Open" value={Math.max(0, open - toShip().length)} />
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
                    disabled={ship.isPending || toShip().length === 0}
                  >
                    {ship.isPending ? 'Shipping…' : `Ship ${toShip().length} picked`}
                  </button>
                  <span className="hint">Ctrl+Enter; what is not picked stays open as a back-order</span>
                </div>
                <BatchList batch={batch} />
              </div>
            </div>
          </section>
        )
      }}
    </Loaded>
  )
}
