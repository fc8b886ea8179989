/*
 * Unit ageing, SKU life cycle, markdowns and the serialization advisor: the ageing histogram, each SKU's
 * sales curve with its stage, the markdown list a manager applies (all or a selection), the advisor's
 * table, and the edit forms with history for SKUs, locations and parties. Charts come from recharts.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { lazy, Suspense, useRef, useState } from 'react'
import { api, newIdempotencyKey } from '../api'
import { useAuth } from '../auth'
import { DataTable, ErrorBox, Field, Form, Loading, ReportTitle, Saved, Select } from '../components/ui'
import { fmtDateTime, fmtInt, fmtMoney } from '../format'
import { Link } from '../router'
import { lifecycleFields, type SkuLifecycle, skuEdit } from '../sku-lifecycle'

// The charts (recharts) load on first use, so the rest of the app does not carry the library.
const AgeingChart = lazy(() => import('./LifecycleCharts').then((m) => ({ default: m.AgeingChart })))
const StageChart = lazy(() => import('./LifecycleCharts').then((m) => ({ default: m.StageChart })))

export function AgeingPage() {
  const [by, setBy] = useState<'sku' | 'location' | 'supplier'>('sku')
  const [basis, setBasis] = useState<'receipt' | 'stock' | 'location'>('receipt')
  const [buckets, setBuckets] = useState('')
  const q = useQuery({
    queryKey: ['ageing', by, basis, buckets],
    queryFn: () => api.ageing({ by, basis, ...(buckets.trim() && { buckets: buckets.trim() }) }),
  })
  const r = q.data
  const totals = r ? r.buckets.map((b, i) => ({ bucket: b, units: r.totals.counts[i], value: r.totals.values[i] })) : []
  return (
    <section className="page">
      <ReportTitle csv={`/api/v1/reports/ageing.csv?by=${by}&basis=${basis}`}>Stock ageing</ReportTitle>
      <div className="inline-form">
        <Select
          label="Group by"
          value={by}
          onChange={setBy}
          options={{ sku: 'SKU', location: 'Location', supplier: 'Supplier' }}
        />
        <Select
          label="Age since"
          value={basis}
          onChange={setBasis}
          options={{ receipt: 'Receipt', stock: 'Last back in stock', location: 'Arrival at location' }}
        />
        <Field label="Buckets (days)" value={buckets} onChange={setBuckets} placeholder="30,60,90,180" />
      </div>
      <ErrorBox error={q.error} />
      {!r ? (
        <Loading />
      ) : (
        <>
          <div className="card" data-testid="ageing-histogram">
            <h2>Units per age bucket</h2>
            <Suspense fallback={<Loading what="Loading chart" />}>
              <AgeingChart data={totals} />
            </Suspense>
          </div>
          <DataTable
            label="Ageing"
            rowKey={(row) => `${row.kind}:${row.code}`}
            rows={r.rows}
            empty="Nothing in stock."
            columns={[
              { header: r.by === 'sku' ? 'SKU' : r.by === 'location' ? 'Location' : 'Supplier', cell: (x) => x.code },
              { header: 'Name', cell: (x) => x.name },
              { header: 'Kind', cell: (x) => (x.kind === 'lot' ? 'lot stock' : 'units') },
              ...r.buckets.map((b, i) => ({
                header: b,
                numeric: true,
                cell: (x: (typeof r.rows)[number]) => `${fmtInt(x.counts[i])} · ${fmtMoney(x.values[i])}`,
              })),
              { header: 'Value at cost', numeric: true, cell: (x) => fmtMoney(x.value) },
            ]}
          />
        </>
      )}
    </section>
  )
}

/** A SKU's weekly sales, smoothed curve and stage, with the week the stage began. */
export function LifecycleCard({ code }: { code: string }) {
  const q = useQuery({ queryKey: ['skus', code, 'lifecycle'], queryFn: () => api.skuLifecycle(code) })
  if (!q.data) return <ErrorBox error={q.error} />
  const s = q.data
  return (
    <div className="card" data-testid="lifecycle-curve">
      <h2>
        Life cycle: <span className={`badge stage-${s.stage}`}>{s.stage.replace(/_/g, ' ')}</span>
      </h2>
      <p className="hint">
        {s.reason}
        {s.since && ` · since week of ${s.since}`}
      </p>
      {s.weeks.length > 0 && (
        <Suspense fallback={<Loading what="Loading chart" />}>
          <StageChart weeks={s.weeks} since={s.since} stage={s.stage} />
        </Suspense>
      )}
    </div>
  )
}

export function MarkdownsPage() {
  const auth = useAuth()
  const client = useQueryClient()
  const q = useQuery({ queryKey: ['markdowns'], queryFn: () => api.markdowns() })
  const [picked, setPicked] = useState<Set<string>>(new Set())
  const key = useRef(newIdempotencyKey())
  const apply = useMutation({
    mutationFn: (serials: string[]) => api.applyMarkdowns({ action: 'discount', serials }, key.current),
    onSuccess: () => {
      key.current = newIdempotencyKey()
      setPicked(new Set())
      void client.invalidateQueries({ queryKey: ['markdowns'] })
      void client.invalidateQueries({ queryKey: ['units'] })
    },
  })
  const lines = (q.data?.lines ?? []).filter((l) => l.action === 'discount')
  const lineKey = (l: (typeof lines)[number]) => `${l.sku}|${l.currentPrice}|${l.suggestedPrice}|${l.serials[0]}`
  const chosen = lines.filter((l) => picked.has(lineKey(l)))
  const toggle = (k: string) => setPicked((p) => new Set(p.has(k) ? [...p].filter((x) => x !== k) : [...p, k]))
  return (
    <section className="page">
      <ReportTitle csv="/api/v1/markdowns/recommendations.csv">Markdowns</ReportTitle>
      <ErrorBox error={q.error ?? apply.error} />
      {apply.isSuccess && (
        <p className="ok-text" role="status">
          Applied: {apply.data.number}, {fmtInt(apply.data.unitCount)} unit(s) repriced
        </p>
      )}
      {!q.data ? (
        <Loading />
      ) : (
        <>
          <DataTable
            label="Markdown recommendations"
            testId="markdowns"
            rowKey={lineKey}
            rows={lines}
            empty="No markdown is recommended now."
            columns={[
              {
                header: 'Pick',
                cell: (l) => (
                  <input
                    type="checkbox"
                    aria-label={`Pick ${l.sku} at ${l.currentPrice}`}
                    checked={picked.has(lineKey(l))}
                    onChange={() => toggle(lineKey(l))}
                  />
                ),
              },
              { header: 'SKU', cell: (l) => <Link to={`/skus/${encodeURIComponent(l.sku)}`}>{l.sku}</Link> },
              { header: 'Stage', cell: (l) => l.stage.replace(/_/g, ' ') },
              { header: 'Units', numeric: true, cell: (l) => fmtInt(l.units) },
              { header: 'Current', numeric: true, cell: (l) => fmtMoney(l.currentPrice) },
              { header: 'Suggested', numeric: true, cell: (l) => fmtMoney(l.suggestedPrice) },
              { header: 'At stake', numeric: true, cell: (l) => fmtMoney(l.valueAtStake) },
              { header: 'Why', cell: (l) => l.reason },
              { header: 'Serials', cell: (l) => l.serials.slice(0, 5).join(', ') + (l.units > 5 ? ' …' : '') },
            ]}
          />
          {q.data.capped.length > 0 && (
            <p className="hint" data-testid="capped">
              Held back by the markdown cap:{' '}
              {q.data.capped.map((c) => `${c.sku} (${fmtInt(c.units)}: ${c.reason})`).join('; ')}
            </p>
          )}
          {auth.can('price.override') && lines.length > 0 && (
            <div className="actions" style={{ display: 'flex', gap: '0.5rem' }}>
              <button
                className="button primary"
                type="button"
                disabled={apply.isPending || chosen.length === 0}
                onClick={() => apply.mutate(chosen.flatMap((l) => l.serials))}
              >
                Apply selected ({fmtInt(chosen.reduce((n, l) => n + l.units, 0))} units)
              </button>
              <button
                className="button"
                type="button"
                disabled={apply.isPending}
                onClick={() => apply.mutate(lines.flatMap((l) => l.serials))}
              >
                Apply all
              </button>
            </div>
          )}
        </>
      )}
      <DiscountShareCard />
      <PolicyCard />
    </section>
  )
}

/** A SKU group's markdown rules (JSON) and cap, edited by a manager; the list above follows them. */
function PolicyCard() {
  const auth = useAuth()
  const client = useQueryClient()
  const q = useQuery({ queryKey: ['markdowns', 'policies'], queryFn: () => api.markdownPolicies() })
  const [v, setV] = useState({
    group: '',
    rules: '[{"minAgeDays": 90, "action": "discount", "percent": 20}]',
    period: '30',
    max: '2',
    depth: '40',
  })
  const save = useMutation({
    mutationFn: () =>
      api.putMarkdownPolicy(v.group.trim(), {
        rules: JSON.parse(v.rules) as never,
        periodDays: Number(v.period),
        maxMarkdowns: Number(v.max),
        maxDepthPct: Number(v.depth),
      }),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['markdowns'] }),
  })
  return (
    <div className="card">
      <h2>Markdown policies</h2>
      <DataTable
        label="Markdown policies"
        rowKey={(p) => p.skuGroup}
        rows={q.data ?? []}
        empty="No SKU group has a markdown policy."
        columns={[
          { header: 'SKU group', cell: (p) => p.skuGroup },
          { header: 'Rules', cell: (p) => <code>{JSON.stringify(p.rules)}</code> },
          {
            header: 'Cap',
            cell: (p) => `${p.cap.maxMarkdowns} in ${p.cap.periodDays} days, at most ${p.cap.maxDepthPct} % off`,
          },
        ]}
      />
      {auth.can('price.override') && (
        <Form
          aria-label="Set a markdown policy"
          onSubmit={() => {
            if (!save.isPending) save.mutate()
          }}
        >
          <Field label="SKU group" value={v.group} onChange={(x) => setV({ ...v, group: x })} required />
          <Field label="Rules (JSON)" value={v.rules} onChange={(x) => setV({ ...v, rules: x })} />
          <Field label="Cap period (days)" value={v.period} onChange={(x) => setV({ ...v, period: x })} type="number" />
          <Field label="Markdowns per period" value={v.max} onChange={(x) => setV({ ...v, max: x })} type="number" />
          <Field
            label="Deepest markdown (%)"
            value={v.depth}
            onChange={(x) => setV({ ...v, depth: x })}
            type="number"
          />
          <button className="button" type="submit" disabled={save.isPending}>
            Save policy
          </button>
          <ErrorBox error={save.error} />
        </Form>
      )}
    </div>
  )
}

/** Per SKU and store: units sold and the share sold below the list price (the guard against constant discounting). */
function DiscountShareCard() {
  const q = useQuery({ queryKey: ['markdowns', 'discount-share'], queryFn: () => api.discountShare() })
  return (
    <div className="card">
      <h2>Sold at a discount</h2>
      <ErrorBox error={q.error} />
      <DataTable
        label="Share sold at a discount"
        testId="discount-share"
        rowKey={(r) => `${r.sku}|${r.store}`}
        rows={q.data ?? []}
        empty="No sales yet."
        columns={[
          { header: 'SKU', cell: (r) => r.sku },
          { header: 'Store', cell: (r) => r.store },
          { header: 'Sold', numeric: true, cell: (r) => fmtInt(r.sold) },
          { header: 'At a discount', numeric: true, cell: (r) => fmtInt(r.discounted) },
          { header: 'Share', numeric: true, cell: (r) => `${(r.share * 100).toFixed(1)} %` },
        ]}
      />
    </div>
  )
}

export function AdvisorPage() {
  const q = useQuery({ queryKey: ['advisor'], queryFn: () => api.advisor() })
  return (
    <section className="page">
      <ReportTitle csv="/api/v1/reports/advisor.csv">Serialization advisor</ReportTitle>
      <p className="lead">
        Serials pay off for valuable goods with liability attached (warranty, returns, theft); cheap, uniform goods
        without it are better tracked by quantity.
      </p>
      <ErrorBox error={q.error} />
      {!q.data ? (
        <Loading />
      ) : (
        <DataTable
          label="Serialization advice"
          testId="advisor"
          rowKey={(a) => a.code}
          rows={q.data}
          empty="No SKUs."
          columns={[
            { header: 'SKU', cell: (a) => a.code },
            { header: 'Tracking', cell: (a) => a.tracking },
            { header: 'Advice', cell: (a) => a.advice.replace(/_/g, ' ') },
            { header: 'Score', numeric: true, cell: (a) => a.score },
            { header: 'Returns', numeric: true, cell: (a) => `${(a.returnRate * 100).toFixed(1)} %` },
            { header: 'Shrinkage', numeric: true, cell: (a) => `${(a.shrinkRate * 100).toFixed(1)} %` },
            { header: 'Reasons', cell: (a) => a.reasons.join('; ') },
          ]}
        />
      )}
    </section>
  )
}

type Change = { field: string; old?: unknown; new?: unknown; actor: string; changedAt: string }

/** The history of a SKU, location or party: each changed field, old and new value, who and when. */
export function HistoryCard({ changes }: { changes: Change[] | undefined }) {
  const show = (v: unknown) => (v === null || v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v))
  return (
    <div className="card" data-testid="history">
      <h2>History</h2>
      <DataTable
        label="History"
        rowKey={(c) => `${c.changedAt}|${c.field}`}
        rows={changes ?? []}
        empty="No edits yet."
        columns={[
          { header: 'When', cell: (c) => fmtDateTime(c.changedAt) },
          { header: 'Who', cell: (c) => c.actor },
          { header: 'Field', cell: (c) => c.field },
          { header: 'Was', cell: (c) => show(c.old) },
          { header: 'Now', cell: (c) => show(c.new) },
        ]}
      />
    </div>
  )
}

interface EditField {
  name: string
  label: string
  value: string
  type?: 'number' | 'text' | 'checkbox'
}

/** An edit form for reference data: the fields that changed are sent; archive is one checkbox. */
export function EditCard({
  title,
  fields,
  save,
  entity: [list, code],
  history: loadHistory,
}: {
  title: string
  fields: EditField[]
  save: (changed: Record<string, string | number | boolean | null>) => Promise<unknown>
  /** What is edited, as its queries name it (`['skus', code]`): a save refreshes its list (`skus`). */
  entity: readonly [list: string, code: string]
  history: () => Promise<Change[]>
}) {
  const auth = useAuth()
  const client = useQueryClient()
  const history = useQuery({ queryKey: [list, code, 'history'], queryFn: loadHistory })
  const [v, setV] = useState<Record<string, string>>(Object.fromEntries(fields.map((f) => [f.name, f.value])))
  const m = useMutation({
    mutationFn: () => {
      const changed = fields.filter((f) => v[f.name] !== f.value)
      return save(
        Object.fromEntries(
          changed.map((f) => [
            f.name,
            f.type === 'number'
              ? Number(v[f.name])
              : f.type === 'checkbox'
                ? v[f.name] === 'true'
                : v[f.name]!.trim() || null,
          ]),
        ),
      )
    },
    onSuccess: () => void client.invalidateQueries({ queryKey: [list] }),
  })
  return (
    <>
      {auth.can('catalog.write') && (
        <Form
          className="card"
          aria-label={title}
          onSubmit={() => {
            if (!m.isPending) m.mutate()
          }}
        >
          <h2>{title}</h2>
          {fields.map((f) =>
            f.type === 'checkbox' ? (
              <div className="field" key={f.name}>
                <label>
                  <input
                    type="checkbox"
                    checked={v[f.name] === 'true'}
                    onChange={(e) => setV({ ...v, [f.name]: String(e.target.checked) })}
                  />{' '}
                  {f.label}
                </label>
              </div>
            ) : (
              <Field
                key={f.name}
                label={f.label}
                value={v[f.name] ?? ''}
                type={f.type ?? 'text'}
                step={f.type === 'number' ? '0.01' : undefined}
                onChange={(x) => setV({ ...v, [f.name]: x })}
              />
            ),
          )}
          <button className="button primary" type="submit" disabled={m.isPending}>
            Save changes
          </button>
          <Saved mutation={m} />
          <ErrorBox error={m.error} />
        </Form>
      )}
      <HistoryCard changes={history.data} />
    </>
  )
}

/**
 * The SKU's edit form (prices, cost, warranty, return window, markdown group, life-cycle thresholds and
 * ageing buckets, archive) and its history.
 */
export function SkuEditCard({
  sku,
}: {
  sku: {
    code: string
    name: string
    cost: number
    price: number
    warrantyMonths: number
    returnWindowDays: number
    skuGroup?: string | null
    archivedAt?: string | null
    lifecycle?: SkuLifecycle | null
  }
}) {
  return (
    <EditCard
      title="Edit SKU"
      entity={['skus', sku.code]}
      history={() => api.skuHistory(sku.code)}
      save={(changed) => api.updateSku(sku.code, skuEdit(changed, sku.lifecycle) as never)}
      fields={[
        { name: 'name', label: 'Name', value: sku.name },
        { name: 'cost', label: 'Cost', value: String(sku.cost), type: 'number' },
        { name: 'price', label: 'List price', value: String(sku.price), type: 'number' },
        { name: 'warrantyMonths', label: 'Warranty (months)', value: String(sku.warrantyMonths), type: 'number' },
        {
          name: 'returnWindowDays',
          label: 'Return window (days)',
          value: String(sku.returnWindowDays),
          type: 'number',
        },
        { name: 'skuGroup', label: 'SKU group (markdown policy)', value: sku.skuGroup ?? '' },
        ...lifecycleFields(sku.lifecycle),
        {
          name: 'archived',
          label: 'Archived (refused in new receipts)',
          value: String(!!sku.archivedAt),
          type: 'checkbox',
        },
      ]}
    />
  )
}

/** A location's edit form (name, archive) and its history. */
export function LocationEditCard({
  location,
}: {
  location: { code: string; name: string; archivedAt?: string | null }
}) {
  return (
    <EditCard
      title="Edit location"
      entity={['locations', location.code]}
      history={() => api.locationHistory(location.code)}
      save={(changed) => api.updateLocation(location.code, changed as never)}
      fields={[
        { name: 'name', label: 'Name', value: location.name },
        { name: 'archived', label: 'Archived', value: String(!!location.archivedAt), type: 'checkbox' },
      ]}
    />
  )
}

/** A party's edit form (name, contacts, archive) and its history. */
export function PartyEditCard({
  party,
}: {
  party: { code: string; name: string; email: string | null; phone: string | null; archivedAt?: string | null }
}) {
  return (
    <EditCard
      title="Edit party"
      entity={['parties', party.code]}
      history={() => api.partyHistory(party.code)}
      save={(changed) => api.updateParty(party.code, changed as never)}
      fields={[
        { name: 'name', label: 'Name', value: party.name },
        { name: 'email', label: 'E-mail', value: party.email ?? '' },
        { name: 'phone', label: 'Phone', value: party.phone ?? '' },
        { name: 'archived', label: 'Archived', value: String(!!party.archivedAt), type: 'checkbox' },
      ]}
    />
  )
}

/** A unit's own price, its price history and ages (on the unit page). */
export function UnitPricingCard({ id }: { id: string }) {
  const q = useQuery({ queryKey: ['units', id, 'pricing'], queryFn: () => api.unitPricing(id) })
  if (!q.data) return <ErrorBox error={q.error} />
  const p = q.data
  return (
    <div className="card" data-testid="unit-pricing">
      <h2>Price and age</h2>
      <p>
        Current price <strong>{fmtMoney(p.currentPrice)}</strong> (list {fmtMoney(p.listPrice)}) ·{' '}
        {p.ages.daysSinceReceipt} days since receipt · {p.ages.daysSinceBackInStock} days since back in stock ·{' '}
        {p.ages.daysAtLocation} days here
      </p>
      <DataTable
        label="Price history"
        rowKey={(h) => `${h.at}|${h.type}`}
        rows={p.history}
        columns={[
          { header: 'When', cell: (h) => fmtDateTime(h.at) },
          { header: 'Event', cell: (h) => h.type.replace(/_/g, ' ') },
          { header: 'Price', numeric: true, cell: (h) => fmtMoney(h.price) },
          { header: 'Who', cell: (h) => h.actor },
        ]}
      />
    </div>
  )
}
