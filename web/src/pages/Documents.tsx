import { useQuery } from '@tanstack/react-query'
import { useAuth } from '../auth'
import { ListPage } from '../components/ListPage'
import { Loaded } from '../components/Loaded'
import { DataTable, ErrorBox, KeyValues, PageTitle } from '../components/ui'
import { eventLabel, fmtDateTime, fmtInt } from '../format'
import { queries } from '../queries'
import { Link } from '../router'
import { DOCUMENT_TYPES, type DocumentType } from '../types'
import { UnitsTable } from './UnitsList'

export function DocumentsPage() {
  return (
    <ListPage
      title="Documents"
      filters={[
        { name: 'type', label: 'Type', options: DOCUMENT_TYPES.map((t) => ({ value: t, label: t })) },
        { name: 'search', label: 'Number or reference' },
      ]}
      query={(f) => queries.documents({ type: f.type as DocumentType | undefined, search: f.search, limit: 200 })}
      table={{
        label: 'Documents',
        rowKey: (d) => d.id,
        empty: 'No documents.',
        columns: [
          {
            header: 'Number',
            cell: (d) => <Link to={`/documents/${d.type}/${encodeURIComponent(d.number)}`}>{d.number}</Link>,
          },
          { header: 'Type', cell: (d) => d.type },
          { header: 'Reference', cell: (d) => d.reference ?? '—' },
          { header: 'When', cell: (d) => fmtDateTime(d.occurredAt) },
          { header: 'Who', cell: (d) => d.actor },
        ],
      }}
    />
  )
}

/** A document, its ledger events and, for a receipt, its first units. The type comes from the URL: the server checks it. */
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
                  <Link className="button" to={`/units?receipt=${encodeURIComponent(number)}`}>
                    All units of this receipt
                  </Link>
                )
              }
            >
              <span className="muted title-kicker">{doc.type}</span> {doc.number}
            </PageTitle>
            <div className="grid-2">
              <div className="card">
                <KeyValues
                  rows={[
                    [
                      'Party',
                      doc.party ? (
                        <Link to={`/parties/${encodeURIComponent(doc.party.code)}`}>
                          {doc.party.name} ({doc.party.code})
                        </Link>
                      ) : (
                        '—'
                      ),
                    ],
                    ['Location', doc.location ?? '—'],
                    ['To', doc.toLocation ?? '—'],
                    ['Reference', doc.reference ?? '—'],
                    ['When', fmtDateTime(doc.occurredAt)],
                    ['Who', doc.actor],
                    ...data.map(([k, v]): [string, string] => [k, String(v)]),
                  ]}
                />
              </div>
              <div className="card">
                <h2>Ledger events</h2>
                <DataTable
                  label="Ledger events"
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
            </div>
            {auth.can('ledger.audit') && <DocumentCheckpoint lastSeq={Math.max(0, ...doc.events.map((e) => e.seq))} />}
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
