import { useQuery } from '@tanstack/react-query'
import type { ReactNode } from 'react'
import { Loaded } from '../components/Loaded'
import { PartyLink } from '../components/PartyLink'
import { PrintLabels } from '../components/PrintLabels'
import { UnitActions } from '../components/UnitActions'
import { KeyValues, PageTitle, StatusBadge, TableCard, TableWrap } from '../components/ui'
import { eventLabel, fmtDate, fmtDateTime, fmtMoney, fmtInt, plural } from '../format'
import { queries, type UnitDetail } from '../queries'
import { Link } from '../router'
import { daysInStock, type WindowStatus, windowStatus } from '../unit-age'
import { UnitPricingCard } from './Lifecycle'

const docLink = (d: { type: string; number: string } | null) =>
  d ? <Link to={`/documents/${d.type}/${encodeURIComponent(d.number)}`}>{d.number}</Link> : '—'

export function UnitPage({ id }: { id: string }) {
  const data = useQuery(queries.unit(id))
  return (
    <Loaded title="Unit" query={data} loading="Loading the unit">
      {(d) => <UnitView {...d} />}
    </Loaded>
  )
}

/** A return window or warranty as a clerk reads it: open until a day (n days left), or closed since a day. */
function windowText(w: WindowStatus | undefined, none: string, what: string): ReactNode {
  if (!w) return none
  return w.isOpen ? (
    <span className="ok-text">
      open until {fmtDate(w.endsOn)} ({w.days === 0 ? 'last day' : `${plural(w.days, 'day')} left`})
    </span>
  ) : (
    <span className="muted">
      {what} {fmtDate(w.endsOn)} ({plural(w.days, 'day')} ago)
    </span>
  )
}

function UnitView({ unit: u, timeline, provenance: p }: UnitDetail) {
  const ids = Object.entries(u.identifiers)
  const days = daysInStock(u)
  const returns = windowStatus(u.returnWindowEndsOn)
  const warranty = windowStatus(u.warrantyEndsOn)
  return (
    <section className="page" data-ready="unit">
      <PageTitle>
        <span className="muted title-kicker">{u.sku.code}</span> <code className="serial">{u.serial}</code>{' '}
        <StatusBadge status={u.status} />
      </PageTitle>
      <p className="lead">{u.sku.name}</p>
      <UnitActions unit={u} />
      <p>
        <PrintLabels serials={[u.serial]} />
      </p>
      <UnitPricingCard id={u.id} />
      <div className="grid-3">
        <div className="card">
          <h2>Now</h2>
          <KeyValues
            rows={[
              ['Status', <StatusBadge key="s" status={u.status} />],
              [
                'Location',
                u.location ? (
                  <Link to={`/locations/${encodeURIComponent(u.location.code)}`}>{u.location.code}</Link>
                ) : u.transfer ? (
                  <>in transit on {docLink({ type: 'transfer', number: u.transfer })}</>
                ) : (
                  '—'
                ),
              ],
              ['Container', u.container ?? '—'],
              [
                'SKU',
                <Link key="k" to={`/skus/${encodeURIComponent(u.sku.code)}`}>
                  {u.sku.code}
                </Link>,
              ],
              ['Lot', u.lot ?? '—'],
              [
                'Days in stock',
                days === undefined ? '—' : <span data-testid="days-in-stock">{plural(days, 'day')}</span>,
              ],
              ...ids.map(([k, v]): [string, React.ReactNode] => [k.toUpperCase(), <code key={k}>{v}</code>]),
              ['Last change', fmtDateTime(u.updatedAt)],
            ]}
          />
        </div>
        <div className="card">
          <h2>Provenance</h2>
          {p ? (
            <KeyValues
              rows={[
                ['Supplier', p.supplier ? <PartyLink party={p.supplier} /> : '—'],
                ['Receipt', docLink({ type: 'receipt', number: p.receipt.number })],
                [
                  'Received',
                  `${fmtDateTime(p.receipt.receivedAt)}${p.receipt.location ? ` at ${p.receipt.location}` : ''}`,
                ],
                [
                  'Supplier references',
                  [
                    p.receipt.supplierRef && `delivery ${p.receipt.supplierRef}`,
                    p.receipt.po && `PO ${p.receipt.po}`,
                    p.receipt.asn && `ASN ${p.receipt.asn}`,
                  ]
                    .filter(Boolean)
                    .join(' · ') || '—',
                ],
                ['Lot', p.lot ? `${p.lot.code}${p.lot.expiresOn ? `, expires ${fmtDate(p.lot.expiresOn)}` : ''}` : '—'],
                ['Cost', fmtMoney(p.cost)],
                ['Units in that receipt', fmtInt(p.receipt.unitsInReceipt)],
                [
                  'Receipt event hash',
                  <code key="h" className="hash" title={p.receipt.eventHash}>
                    {p.receipt.eventHash.slice(0, 16)}…
                  </code>,
                ],
              ]}
            />
          ) : (
            <p className="muted">No receipt recorded for this unit.</p>
          )}
        </div>
        <div className="card">
          <h2>Customer and warranty</h2>
          <KeyValues
            rows={[
              ['Customer', u.customer ? <PartyLink party={u.customer} /> : u.soldAt ? 'walk-in' : '—'],
              ['Sold', u.soldAt ? fmtDateTime(u.soldAt) : '—'],
              ['Order', u.orderRef ?? '—'],
              ['Sale price', fmtMoney(u.salePrice)],
              [
                'Return window',
                <span key="r" data-testid="return-window">
                  {windowText(returns, u.soldAt ? 'no returns' : 'starts at sale', 'closed on')}
                </span>,
              ],
              [
                'Warranty ends',
                <span key="w" data-testid="warranty">
                  {windowText(warranty, u.soldAt ? 'no warranty' : 'starts at sale', 'expired on')}
                </span>,
              ],
            ]}
          />
        </div>
      </div>
      <div className="card">
        <h2>Timeline</h2>
        <TableWrap label="Timeline">
          <table className="table timeline" data-testid="timeline">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">What</th>
                <th scope="col">Where</th>
                <th scope="col">Why</th>
                <th scope="col">Who</th>
              </tr>
            </thead>
            <tbody>
              {timeline.map((e) => (
                <tr key={e.seq} data-event={e.type}>
                  <td data-label="When">
                    <div>
                      {fmtDateTime(e.occurredAt)}
                      {e.recordedAt.slice(0, 16) !== e.occurredAt.slice(0, 16) && (
                        <div className="muted small">recorded {fmtDateTime(e.recordedAt)}</div>
                      )}
                    </div>
                  </td>
                  <td data-label="What">
                    <div>
                      <strong>{eventLabel(e.type)}</strong>
                      {e.transition !== null && <div className="small">{eventLabel(e.transition)}</div>}
                      {e.price !== null && <div className="small">at {fmtMoney(e.price)}</div>}
                    </div>
                  </td>
                  <td data-label="Where">
                    <div>
                      {e.fromLocation && e.location && e.fromLocation !== e.location
                        ? `${e.fromLocation} → ${e.location}`
                        : (e.location ?? e.fromLocation ?? '—')}
                    </div>
                  </td>
                  <td data-label="Why">
                    <div>
                      {docLink(e.document)}
                      {e.party && <div className="small">{e.party.name}</div>}
                      {e.orderRef && <div className="small">order {e.orderRef}</div>}
                      {e.reason && <div className="small">{e.reason}</div>}
                    </div>
                  </td>
                  <td data-label="Who">
                    <div>{e.actor}</div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      </div>
      <Custody id={u.id} />
    </section>
  )
}

/** Who had the unit and where, in ledger order (a new line whenever the actor or the place changes). */
function Custody({ id }: { id: string }) {
  const custody = useQuery(queries.custody(id))
  if (!custody.data) return null
  return (
    <TableCard
      title="Custody chain"
      testId="custody"
      rows={custody.data}
      rowKey={(s) => `${s.since}-${s.actor}-${s.location}`}
      columns={[
        { header: 'Who', cell: (s) => s.actor },
        { header: 'Where', cell: (s) => s.location ?? '—' },
        { header: 'From', cell: (s) => fmtDateTime(s.since) },
        { header: 'Until', cell: (s) => (s.until ? fmtDateTime(s.until) : 'now') },
        { header: 'Events', cell: (s) => s.events.map(eventLabel).join(', ') },
      ]}
    />
  )
}
