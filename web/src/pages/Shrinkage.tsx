/*
 * Theft protection for managers and auditors: the shrinkage dashboard (charts by period and location,
 * each lost unit with its last sighting), the exceptions list (each can raise a count task) and the
 * ledger verification.
 */
import { useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { useAuth } from '../auth'
import { BarChart, ColumnChart } from '../components/Charts'
import {
  DataTable,
  ErrorBox,
  Field,
  Loading,
  PageTitle,
  ReportTitle,
  Select,
  StatCard,
  TableCard,
} from '../components/ui'
import { eventLabel, fmtDateTime, fmtInt, fmtMoney } from '../format'
import { queries } from '../queries'
import { Link } from '../router'
import { StartCount } from './Counts'

const pct = (share: number) => `${(share * 100).toFixed(2)} %`
const PERIODS = { day: 'day', week: 'week', month: 'month' }

export function ShrinkagePage() {
  const [period, setPeriod] = useState<'day' | 'week' | 'month'>('week')
  const [location, setLocation] = useState('')
  const q = useQuery(queries.shrinkage({ period, ...(location.trim() && { location: location.trim() }) }))
  const d = q.data
  return (
    <section className="page">
      <ReportTitle csv="/api/v1/reports/shrinkage.csv">Shrinkage</ReportTitle>
      <div className="form-row">
        <Select label="Trend by" value={period} onChange={setPeriod} options={PERIODS} />
        <Field label="Location (optional)" value={location} onChange={setLocation} />
      </div>
      <ErrorBox error={q.error} />
      {!d ? (
        q.isPending && <Loading />
      ) : (
        <>
          <div className="cards">
            <StatCard
              label="Lost, last 90 days (at cost)"
              value={fmtMoney(d.total.value)}
              testId="shrinkage-value"
              note={[
                `${fmtInt(d.total.units)} units`,
                `${fmtInt(d.total.quantity)} pieces`,
                `${pct(d.total.share)} of stock value`,
              ].join(' · ')}
            />
          </div>
          <div className="grid-2">
            <div className="card">
              <ColumnChart
                title="Shrinkage over time"
                labels={d.trend.map((t) => t.period)}
                series={[{ name: 'Value lost', values: d.trend.map((t) => t.value), className: 'fill-sold' }]}
                format={(n) => fmtMoney(n)}
              />
            </div>
            <div className="card">
              <BarChart
                title="Shrinkage by location"
                bars={d.byLocation.map((l) => ({ label: l.location, value: l.value }))}
                format={(n) => fmtMoney(n)}
              />
            </div>
          </div>
          <TableCard
            title="By location"
            label="Shrinkage by location"
            rows={d.byLocation}
            rowKey={(l) => l.location}
            empty="Nothing lost."
            columns={[
              { header: 'Location', cell: (l) => l.location },
              { header: 'Units', cell: (l) => fmtInt(l.units), numeric: true },
              { header: 'Pieces', cell: (l) => fmtInt(l.quantity), numeric: true },
              { header: 'Value', cell: (l) => fmtMoney(l.value), numeric: true },
              { header: 'Share of stock', cell: (l) => pct(l.share), numeric: true },
            ]}
          />
          <TableCard
            title="By SKU"
            label="Shrinkage by SKU"
            rows={d.bySku}
            rowKey={(s) => s.sku}
            empty="Nothing lost."
            columns={[
              { header: 'SKU', cell: (s) => s.sku },
              { header: 'Name', cell: (s) => s.skuName },
              { header: 'Units', cell: (s) => fmtInt(s.units), numeric: true },
              { header: 'Pieces', cell: (s) => fmtInt(s.quantity), numeric: true },
              { header: 'Value', cell: (s) => fmtMoney(s.value), numeric: true },
            ]}
          />
          <TableCard
            title="Lost units and where they were last seen"
            label="Lost units"
            testId="lost-units"
            rows={d.units}
            rowKey={(u) => `${u.unitId}-${u.lostAt}`}
            empty="No unit was lost."
            columns={[
              { header: 'Serial', cell: (u) => <Link to={`/units/${u.unitId}`}>{u.serial}</Link> },
              { header: 'SKU', cell: (u) => u.sku },
              { header: 'Lost', cell: (u) => `${fmtDateTime(u.lostAt)} by ${u.lostBy}` },
              {
                header: 'Last seen',
                cell: (u) =>
                  u.lastSeen
                    ? `${eventLabel(u.lastSeen.type)} at ${u.lastSeen.location ?? '—'}, ` +
                      `${fmtDateTime(u.lastSeen.at)}, by ${u.lastSeen.actor}`
                    : '—',
              },
              { header: 'Now', cell: (u) => u.status },
              { header: 'Cost', cell: (u) => fmtMoney(u.value), numeric: true },
            ]}
          />
        </>
      )}
    </section>
  )
}

export function ExceptionsPage() {
  const auth = useAuth()
  const [days, setDays] = useState('7')
  const [threshold, setThreshold] = useState('1000')
  const [task, setTask] = useState<{ location: string; reason: string } | null>(null)
  const q = useQuery(queries.exceptions({ days: Number(days) || 0, threshold: Number(threshold) || 0 }))
  return (
    <section className="page">
      <PageTitle>Exceptions</PageTitle>
      <div className="form-row">
        <Field label="Days in transit / not put away" value={days} onChange={setDays} inputMode="numeric" />
        <Field label="Adjustments above (at cost)" value={threshold} onChange={setThreshold} inputMode="decimal" />
      </div>
      {task && <StartCount key={task.location} location={task.location} reason={task.reason} />}
      <ErrorBox error={q.error} />
      {q.data ? (
        <DataTable
          label="Exceptions"
          testId="exceptions"
          rows={q.data}
          rowKey={(e) => `${e.kind}-${e.serial}-${e.actor}-${e.location}-${e.at}`}
          empty="Nothing worth a look."
          columns={[
            { header: 'What', cell: (e) => e.kind.replace(/_/g, ' ') },
            { header: 'Why', cell: (e) => e.reason },
            { header: 'Where', cell: (e) => e.location ?? '—' },
            { header: 'When', cell: (e) => fmtDateTime(e.at) },
            { header: 'Value', cell: (e) => fmtMoney(e.value), numeric: true },
            {
              header: '',
              cell: (e) =>
                e.location && auth.can('stock.adjust') ? (
                  <button
                    className="button"
                    onClick={() => setTask({ location: e.location!, reason: `exception: ${e.reason}`.slice(0, 500) })}
                  >
                    Count {e.location}
                  </button>
                ) : null,
            },
          ]}
        />
      ) : (
        q.isPending && <Loading />
      )}
    </section>
  )
}
