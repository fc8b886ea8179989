import { useQuery } from '@tanstack/react-query'
import { useAuth } from '../auth'
import { api } from '../api'
import { allPages } from '../components/CsvExport'
import { type Applied, ListPage } from '../components/ListPage'
import { PrintLabels } from '../components/PrintLabels'
import { Loaded } from '../components/Loaded'
import { PartyLink } from '../components/PartyLink'
import { DataTable, ErrorBox, KeyValues, PageTitle, TableCard } from '../components/ui'
import { eventLabel, fmtDateTime, fmtInt, fmtMoney } from '../format'
import { queries } from '../queries'
import { Link } from '../router'
import { DOCUMENT_TYPES, type DocumentType, type DocumentView } from '../types'
import { UnitsTable } from './UnitsList'

/** Documents per page of the list. */
const PAGE = 100

const documentFilter = (f: Applied) => ({ type: f.type as DocumentType | undefined, search: f.search })

export function DocumentsPage() {
  return (
    <ListPage
      title="Documents"
      filters={[
        { name: 'type', label: 'Type', options: DOCUMENT_TYPES.map((t) => ({ value: t, label: t })) },
        { name: 'search', label: 'Number or reference' },
      ]}
      pageSize={PAGE}
      query={(f, page) => queries.documents({ ...documentFilter(f), ...page })}
      exportAll={(f) => allPages((offset, limit) => api.documents({ ...documentFilter(f), offset, limit }))}
      table={{
        label: 'Documents',
        rowKey: (d) => d.id,
        empty: 'No documents.',
        testId: 'documents-table',
        columns: [
          {
            header: 'Number',
            cell: (d) => <Link to={`/documents/${d.type}/${encodeURIComponent(d.number)}`}>{d.number}</Link>,
            csv: (d) => d.number,
          },
          { header: 'Type', cell: (d) => d.type, csv: (d) => d.type },
          {
            header: 'Party',
            cell: (d) =>
              d.party ? <Link to={`/parties/${encodeURIComponent(d.party.code)}`}>{d.party.name}</Link> : '—',
            csv: (d) => d.party?.code,
          },
          { header: 'Reference', cell: (d) => d.reference ?? '—', csv: (d) => d.reference },
          { header: 'When', cell: (d) => fmtDateTime(d.occurredAt), csv: (d) => d.occurredAt },
          { header: 'Units', numeric: true, cell: (d) => fmtInt(d.unitCount), csv: (d) => d.unitCount },
          {
            header: 'Items',
            numeric: true,
            cell: (d) => (d.quantity ? fmtInt(d.quantity) : '—'),
            csv: (d) => d.quantity,
          },
          { header: 'Value', numeric: true, cell: (d) => fmtMoney(d.value), csv: (d) => d.value },
          { header: 'Who', cell: (d) => d.actor, csv: (d) => d.actor },
        ],
      }}
    />
  )
}

/**
 * A document, its ledger events and, for a receipt, its first units. The type comes from the URL: the server
 * checks it.
 */
export function DocumentPage({ type, number }: { type: string; number: string }) {
  const doc = useQuery(queries.document(type as DocumentType, number))
  const units = useQuery({ ...queries.units({ receipt: number, limit: 50 }), enabled: type === 'receipt' })
  const auth = useAuth()
  return (
    <Loaded
      title={
        <>
          {type} {number}
        </>
      }
      query={doc}
    >
      {(doc) => {
        const data = Object.entries(doc.data).filter(([, v]) => v !== null && v !== undefined && typeof v !== 'object')
        return (
          <section className="page">
            <PageTitle
              actions={
                type === 'receipt' && (
                  <>
                    <Link className="button" to={`/units?receipt=${encodeURIComponent(number)}`}>
                      All units of this receipt
                    </Link>{' '}
                    <PrintLabels receipt={number} />
                  </>
                )
              }
            >
              <span className="muted title-kicker">{doc.type}</span> {doc.number}
            </PageTitle>
            <div className="grid-2">
              <div className="card">
                <KeyValues
                  rows={[
                    ['Party', doc.party ? <PartyLink party={doc.party} /> : '—'],
                    ['Location', doc.location ?? '—'],
                    ['To', doc.toLocation ?? '—'],
                    ['Reference', doc.reference ?? '—'],
                    ['When', fmtDateTime(doc.occurredAt)],
                    ['Who', doc.actor],
                    ...data.map(([k, v]): [string, string] => [k, String(v)]),
                  ]}
                />
              </div>
              <TableCard
                title="Ledger events"
                rows={doc.events}
                rowKey={(e) => e.seq}
                columns={[
                  { header: '#', cell: (e) => e.seq },
                  { header: 'Event', cell: (e) => eventLabel(e.type) },
                  { header: 'When', cell: (e) => fmtDateTime(e.occurredAt) },
                  { header: 'Who', cell: (e) => e.actor },
                  { header: 'Units', cell: (e) => fmtInt(e.unitCount), numeric: true },
                ]}
              />
            </div>
            {auth.can('ledger.audit') && <DocumentCheckpoint lastSeq={Math.max(0, ...doc.events.map((e) => e.seq))} />}
            <DocumentLines doc={doc} />
            {units.data && units.data.items.length > 0 && (
              <div className="card">
                <h2>Units (first 50)</h2>
                <UnitsTable units={units.data.items} />
              </div>
            )}
            <ErrorBox error={units.error} />
          </section>
        )
      }}
    </Loaded>
  )
}

/** The signed checkpoint that covers the document's events, printed with it (for auditors and managers). */
function DocumentCheckpoint({ lastSeq }: { lastSeq: number }) {
  const latest = useQuery(queries.latestCheckpoint)
  const c = latest.data
  return (
    <div className="card">
      <h2>Ledger checkpoint</h2>
      <ErrorBox error={latest.error} />
      {c && c.treeSize >= lastSeq ? (
        <p>
          Covered by the checkpoint of {fmtInt(c.treeSize)} events signed {fmtDateTime(c.issuedAt)} (key{' '}
          <code>{c.keyId}</code>, root <code>{c.rootHash}</code>).
        </p>
      ) : (
        latest.isSuccess && (
          <p>
            Not yet covered by a signed checkpoint
            {c ? ` (the latest covers ${fmtInt(c.treeSize)} events)` : ''}: make one on{' '}
            <Link to="/proofs">Ledger proofs</Link>.
          </p>
        )
      )}
    </div>
  )
}

/** A document's serials and lot or quantity lines, each with its price (or cost), and the total of them all. */
function DocumentLines({ doc }: { doc: DocumentView }) {
  if (doc.units.length === 0 && doc.quantities.length === 0) return null
  const amount = doc.amountKind === 'cost' ? 'Cost' : 'Price'
  const shown = doc.amountKind !== null
  const more = doc.unitCount - doc.units.length
  return (
    <div className="card">
      <h2>
        Serials and items{shown && doc.total !== null && <span className="muted"> · total {fmtMoney(doc.total)}</span>}
      </h2>
      {doc.units.length > 0 && (
        <DataTable
          label="Serials"
          testId="document-units"
          rows={doc.units}
          rowKey={(u) => u.unitId}
          columns={[
            {
              header: 'Serial',
              cell: (u) => (
                <Link to={`/units/${encodeURIComponent(u.unitId)}`}>
                  <code>{u.serial}</code>
                </Link>
              ),
            },
            { header: 'SKU', cell: (u) => u.sku },
            ...(shown
              ? [{ header: amount, cell: (u: DocumentView['units'][number]) => fmtMoney(u.amount), numeric: true }]
              : []),
          ]}
          footer={
            shown && doc.quantities.length === 0 ? (
              <TotalRow label={`Total (${fmtInt(doc.unitCount)} units)`} span={2} total={doc.total} />
            ) : undefined
          }
        />
      )}
      {more > 0 && <p className="muted">…and {fmtInt(more)} more serials (counted in the total).</p>}
      {doc.quantities.length > 0 && (
        <DataTable
          label="Lot and quantity lines"
          rows={doc.quantities}
          rowKey={(q) => `${q.sku}|${q.lot ?? ''}|${q.location}`}
          columns={[
            { header: 'SKU', cell: (q) => q.sku },
            { header: 'Lot', cell: (q) => q.lot ?? '—' },
            { header: 'Location', cell: (q) => q.location },
            { header: 'Quantity', cell: (q) => fmtInt(q.quantity), numeric: true },
            ...(shown
              ? [{ header: amount, cell: (q: DocumentView['quantities'][number]) => fmtMoney(q.amount), numeric: true }]
              : []),
          ]}
          footer={shown ? <TotalRow label="Total" span={4} total={doc.total} /> : undefined}
        />
      )}
    </div>
  )
}

/** A document table's footer: the total amount, under the amount column (`span` columns come before it). */
function TotalRow({ label, span, total }: { label: string; span: number; total: DocumentView['total'] }) {
  return (
    <tr>
      <th scope="row" colSpan={span}>
        {label}
      </th>
      <td className="num" data-testid="document-total">
        {fmtMoney(total)}
      </td>
    </tr>
  )
}
