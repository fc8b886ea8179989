import { useQuery } from '@tanstack/react-query'
import { useAuth } from '../auth'
import { BarChart, ColumnChart } from '../components/Charts'
import { ErrorBox, Loading, PageTitle, StatCard, TableCard } from '../components/ui'
import { eventLabel, fmtDateTime, fmtInt, fmtMoney, plural, STATUS_LABEL } from '../format'
import { queries } from '../queries'
import { Link } from '../router'

const weekLabel = (d: string) =>
  new Date(`${d}T00:00:00Z`).toLocaleDateString(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' })

/** The units received (or sold) in the week starting on `weekStart` (YYYY-MM-DD), whatever their status now. */
const weekLink = (what: 'received' | 'sold', weekStart: string) => {
  const end = new Date(`${weekStart}T00:00:00Z`)
  end.setUTCDate(end.getUTCDate() + 7)
  return `/units?status=any&${what}From=${weekStart}&${what}To=${end.toISOString().slice(0, 10)}`
}

export function Dashboard() {
  const auth = useAuth()
  const d = useQuery(queries.dashboard(12))
  /** A figure summed over the weeks shown. */
  const weekTotal = (figure: 'receivedUnits' | 'receipts' | 'soldUnits' | 'salesValue') =>
    (d.data?.weeks ?? []).reduce((a, w) => a + w[figure], 0)
  return (
    <section className="page">
      <PageTitle
        actions={
          auth.can('stock.operate') && (
            <>
              <Link className="button primary" to="/receive">
                Receive
              </Link>
              <Link className="button" to="/sell">
                Sell
              </Link>
            </>
          )
        }
      >
        Dashboard
      </PageTitle>
      <ErrorBox error={d.error} />
      {!d.data ? (
        d.isPending && <Loading />
      ) : (
        <>
          <div className="cards">
            <StatCard
              label="Stock value (standard cost)"
              value={fmtMoney(d.data.stock.totalValue)}
              to="/stock"
              testId="stock-value"
              note={
                <>
                  {fmtInt(d.data.stock.serialUnits)} serial units · {fmtInt(d.data.stock.quantity)} in quantity stock
                </>
              }
            />
            <StatCard
              label="Received, last 12 weeks"
              value={fmtInt(weekTotal('receivedUnits'))}
              note={plural(weekTotal('receipts'), 'receipt')}
            />
            <StatCard
              label="Sold, last 12 weeks"
              value={fmtInt(weekTotal('soldUnits'))}
              unit="units"
              note={`${fmtMoney(weekTotal('salesValue'))} revenue`}
            />
          </div>
          <div className="grid-2">
            <div className="card">
              <BarChart
                title="Units by status"
                bars={d.data.unitsByStatus
                  .filter((s) => s.count > 0 || ['in_stock', 'sold', 'in_transit'].includes(s.status))
                  .map((s) => ({
                    label: STATUS_LABEL[s.status],
                    value: s.count,
                    className: `bar status-fill-${s.status}`,
                    href: `/units?status=${s.status}`,
                  }))}
              />
            </div>
            <div className="card">
              <ColumnChart
                title="Receipts and sales per week"
                labels={d.data.weeks.map((w) => weekLabel(w.weekStart))}
                series={[
                  {
                    name: 'Units received',
                    values: d.data.weeks.map((w) => w.receivedUnits),
                    className: 'fill-received',
                    href: (i) => weekLink('received', d.data!.weeks[i]!.weekStart),
                  },
                  {
                    name: 'Units sold',
                    values: d.data.weeks.map((w) => w.soldUnits),
                    className: 'fill-sold',
                    href: (i) => weekLink('sold', d.data!.weeks[i]!.weekStart),
                  },
                ]}
              />
            </div>
          </div>
          <TableCard
            title="Recent activity"
            rows={d.data.recent}
            rowKey={(e) => e.seq}
            empty="Nothing recorded yet."
            columns={[
              { header: 'When', cell: (e) => fmtDateTime(e.occurredAt) },
              { header: 'What', cell: (e) => eventLabel(e.type) },
              {
                header: 'Document',
                cell: (e) =>
                  e.document ? (
                    <Link to={`/documents/${e.document.type}/${encodeURIComponent(e.document.number)}`}>
                      {e.document.number}
                    </Link>
                  ) : (
                    '—'
                  ),
              },
              { header: 'Where', cell: (e) => e.location ?? '—' },
              { header: 'Who', cell: (e) => e.actor },
              { header: 'Units', cell: (e) => fmtInt(e.unitCount), numeric: true },
            ]}
          />
        </>
      )}
    </section>
  )
}
