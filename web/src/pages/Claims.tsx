/*
 * Supplier claims: the list (by status, supplier and opening date, a page at a time); open one for
 * scanned or pasted units, then on its page ship the units back to the supplier (returned_to_vendor),
 * move it on (sent, accepted or rejected, credited with the amount and the supplier's credit note) and
 * download its evidence pack.
 */
import { useMutation, useQuery } from '@tanstack/react-query'
import { type FormEvent, useState } from 'react'
import { api, newIdempotencyKey, type QueryOf } from '../api'
import { CursorPager } from '../components/CursorPager'
import { FilterActions, usePagedUrlFilters } from '../components/UrlFilters'
import { DataTable, ErrorBox, Field, FormSubmit, KeyValues, Loading, PageTitle, Select } from '../components/ui'
import { fmtDate, fmtDateTime, fmtInt, fmtMoney } from '../format'
import { afterWrite, queries, queryClient } from '../queries'
import { Link, navigate } from '../router'

const CLAIM_STATUSES = ['open', 'sent', 'accepted', 'rejected', 'credited'] as const
const FILTERS = ['status', 'supplier', 'openedFrom', 'openedTo'] as const
type Filters = Record<(typeof FILTERS)[number], string>

/**
 * Every supplier claim, newest opened first: its status, supplier, units (shipped back of claimed) and
 * credit, each number opening the claim's page. The filters live in the URL (Back from a claim keeps them).
 */
export function ClaimsPage() {
  const { applied, draft, setDraft, pages, apply, clear } = usePagedUrlFilters(FILTERS)
  const parties = useQuery(queries.allParties)
  const query: QueryOf<'/api/v1/claims'> = {
    status: (applied.status || undefined) as QueryOf<'/api/v1/claims'>['status'],
    supplier: applied.supplier || undefined,
    openedFrom: applied.openedFrom || undefined,
    openedTo: applied.openedTo || undefined,
    cursor: pages.cursor || undefined,
    limit: 50,
  }
  const page = useQuery({ queryKey: ['claims', 'list', query], queryFn: () => api.claims(query) })
  const set = (k: keyof Filters) => (v: string) => setDraft({ ...draft, [k]: v })
  return (
    <section className="page">
      <PageTitle
        actions={
          <Link className="button primary" to="/claims/new">
            New claim
          </Link>
        }
      >
        Supplier claims
      </PageTitle>
      <form className="card filters" onSubmit={apply} aria-label="Filter claims">
        <Select
          label="Status"
          value={draft.status}
          onChange={set('status')}
          options={[{ value: '', label: 'Any' }, ...CLAIM_STATUSES.map((s) => ({ value: s, label: s }))]}
        />
        <Field
          label="Supplier"
          id="claims-supplier"
          value={draft.supplier}
          onChange={set('supplier')}
          options={parties.data?.filter((p) => p.role === 'supplier').map((p) => ({ value: p.code, label: p.name }))}
        />
        <Field label="Opened from" type="date" value={draft.openedFrom} onChange={set('openedFrom')} />
        <Field label="Opened before" type="date" value={draft.openedTo} onChange={set('openedTo')} />
        <FilterActions onClear={clear} />
      </form>
      <ErrorBox error={page.error} />
      {page.isPending && <Loading />}
      {page.data && (
        <>
          <DataTable
            label="Claims"
            rows={page.data.items}
            rowKey={(c) => c.number}
            empty="No claim matches."
            columns={[
              { header: 'Number', cell: (c) => <Link to={`/claims/${encodeURIComponent(c.number)}`}>{c.number}</Link> },
              { header: 'Status', cell: (c) => c.status },
              { header: 'Supplier', cell: (c) => `${c.supplier.name} (${c.supplier.code})` },
              {
                header: 'Units',
                cell: (c) =>
                  c.shippedUnits ? `${fmtInt(c.units)} (${fmtInt(c.shippedUnits)} shipped)` : fmtInt(c.units),
              },
              {
                header: 'Credited',
                cell: (c) => (c.creditedAmount === null ? '—' : `${fmtMoney(c.creditedAmount)} (${c.creditNote})`),
              },
              { header: 'Opened', cell: (c) => fmtDate(c.openedAt) },
            ]}
          />
          <CursorPager pages={pages} page={page.data} />
        </>
      )}
    </section>
  )
}

/** Serials as a scanner types them (one per line) or as pasted from a list (commas, spaces, tabs). */
export const serialsOf = (text: string) => [
  ...new Set(
    text
      .split(/[\s,;]+/)
      .map((s) => s.trim())
      .filter(Boolean),
  ),
]

export function NewClaimPage() {
  const parties = useQuery(queries.allParties)
  const suppliers = (parties.data ?? []).filter((p) => p.role === 'supplier')
  const [supplier, setSupplier] = useState('')
  const [units, setUnits] = useState('')
  const [reason, setReason] = useState('')
  const [reference, setReference] = useState('')
  const [find, setFind] = useState('')
  const open = useMutation({
    mutationFn: () =>
      api.openClaim(
        {
          supplier: supplier.trim(),
          units: serialsOf(units),
          reason: reason.trim(),
          ...(reference.trim() && { reference: reference.trim() }),
        },
        newIdempotencyKey(),
      ),
    onSuccess: (claim) => {
      void afterWrite.stock()
      navigate(`/claims/${encodeURIComponent(claim.number)}`)
    },
  })
  const scanned = serialsOf(units)
  const submit = (e: FormEvent) => {
    e.preventDefault()
    if (!open.isPending) open.mutate()
  }
  return (
    <section className="page">
      <PageTitle>New supplier claim</PageTitle>
      <form className="card" onSubmit={submit} aria-label="New claim">
        <h2>New claim</h2>
        <div className="form-row">
          <Field
            label="Supplier"
            id="claim-supplier"
            value={supplier}
            onChange={setSupplier}
            required
            options={suppliers.map((p) => ({ value: p.code, label: p.name }))}
          />
          <Field label="Supplier case (RMA)" value={reference} onChange={setReference} hint="optional" />
        </div>
        <div className="field">
          <label htmlFor="claim-units">
            Units<span aria-hidden="true"> *</span>
          </label>
          <textarea
            id="claim-units"
            rows={4}
            value={units}
            onChange={(e) => setUnits(e.target.value)}
            placeholder="scan serials (one per line) or paste a list"
            autoFocus
          />
          <small className="hint" data-testid="claim-scanned">
            {scanned.length === 0 ? 'nothing scanned' : `${fmtInt(scanned.length)} units`}
          </small>
        </div>
        <Field label="Reason" value={reason} onChange={setReason} required placeholder="Dead on arrival" />
        <button className="button primary" type="submit" disabled={open.isPending}>
          Open claim
        </button>
      </form>
      <ErrorBox error={open.error} />
      <form
        className="card filters"
        aria-label="Find a claim"
        onSubmit={(e) => {
          e.preventDefault()
          if (find.trim()) navigate(`/claims/${encodeURIComponent(find.trim())}`)
        }}
      >
        <Field label="Claim number" value={find} onChange={setFind} placeholder="CLM-…" />
        <FormSubmit secondary>Open</FormSubmit>
      </form>
    </section>
  )
}

const NEXT: Record<string, string[]> = { open: ['sent'], sent: ['accepted', 'rejected'], accepted: ['credited'] }

/**
 * Moves a claim on to a status it may go to next (the page remounts it on each change); credited asks for
 * the amount and the credit note.
 */
function StatusForm({ number, status }: { number: string; status: string }) {
  const next = NEXT[status] ?? []
  const [to, setTo] = useState(next[0] ?? '')
  const [amount, setAmount] = useState('')
  const [creditNote, setCreditNote] = useState('')
  const [note, setNote] = useState('')
  const change = useMutation({
    mutationFn: () =>
      api.changeClaimStatus(
        number,
        {
          status: to as 'sent',
          ...(to === 'credited' && amount.trim() && { creditedAmount: Number(amount) }),
          ...(to === 'credited' && creditNote.trim() && { creditNote: creditNote.trim() }),
          ...(note.trim() && { note: note.trim() }),
        },
        newIdempotencyKey(),
      ),
    onSuccess: () => {
      setNote('')
      void queryClient.invalidateQueries({ queryKey: ['claims', number] })
    },
  })
  if (next.length === 0) return null
  const submit = (e: FormEvent) => {
    e.preventDefault()
    if (!change.isPending) change.mutate()
  }
  return (
    <form className="card filters" onSubmit={submit} aria-label="Claim status">
      <Select label="New status" value={to} onChange={setTo} options={next.map((s) => ({ value: s, label: s }))} />
      {to === 'credited' && (
        <>
          {/* Not `required`: the server's refusal says which of the two is missing, next to the form. */}
          <Field label="Credited amount" value={amount} onChange={setAmount} inputMode="decimal" hint="required" />
          <Field label="Credit note" value={creditNote} onChange={setCreditNote} placeholder="CN-…" hint="required" />
        </>
      )}
      <Field label="Note" value={note} onChange={setNote} />
      <FormSubmit busy={change.isPending}>Change status</FormSubmit>
      <ErrorBox error={change.error} />
    </form>
  )
}

export function ClaimPage({ number }: { number: string }) {
  const claim = useQuery({ queryKey: ['claims', number], queryFn: () => api.claim(number) })
  const ship = useMutation({
    mutationFn: () => api.shipClaim(number, newIdempotencyKey()),
    onSuccess: () => {
      void afterWrite.stock()
      void queryClient.invalidateQueries({ queryKey: ['claims', number] })
    },
  })
  const c = claim.data
  const base = `/api/v1/claims/${encodeURIComponent(number)}`
  const here = c?.units.filter((u) => u.status !== 'returned_to_vendor') ?? []
  return (
    <section className="page">
      <PageTitle
        actions={
          <>
            <a className="button primary" href={`${base}/pack.pdf`} download>
              Evidence pack (PDF)
            </a>
            <a className="button" href={`${base}/pack`}>
              JSON
            </a>
          </>
        }
      >
        Claim {number}
      </PageTitle>
      <ErrorBox error={claim.error} />
      {!c ? (
        <Loading />
      ) : (
        <>
          <KeyValues
            rows={[
              ['Supplier', `${c.supplier.name} (${c.supplier.code})`],
              ['Status', <span data-testid="claim-status">{c.status}</span>],
              ['Supplier case', c.reference ?? '—'],
              ['Reason', c.reason ?? '—'],
              [
                'Credited',
                <span data-testid="claim-credited">
                  {c.creditedAmount === null ? '—' : `${c.creditedAmount} (${c.creditNote})`}
                </span>,
              ],
            ]}
          />
          {here.length > 0 && c.status !== 'rejected' && c.status !== 'credited' && (
            <div className="form-actions">
              <button className="button" type="button" disabled={ship.isPending} onClick={() => ship.mutate()}>
                Ship {fmtInt(here.length)} {here.length === 1 ? 'unit' : 'units'} back to the supplier
              </button>
            </div>
          )}
          <ErrorBox error={ship.error} />
          <StatusForm key={c.status} number={number} status={c.status} />
          <DataTable
            label="Units"
            rows={c.units}
            rowKey={(u) => `${u.sku}-${u.serial}`}
            empty="No unit."
            columns={[
              { header: 'SKU', cell: (u) => u.sku },
              { header: 'Serial', cell: (u) => u.serial },
              {
                header: 'Status',
                cell: (u) => <span data-testid={`unit-${u.serial}`}>{u.status.replaceAll('_', ' ')}</span>,
              },
            ]}
          />
          <DataTable
            label="History"
            rows={c.history}
            rowKey={(h) => `${h.status}-${h.at}`}
            empty=""
            columns={[
              { header: 'Status', cell: (h) => h.status },
              { header: 'When', cell: (h) => fmtDateTime(h.at) },
              { header: 'Who', cell: (h) => h.actor },
              { header: 'Note', cell: (h) => h.note ?? '' },
            ]}
          />
        </>
      )}
    </section>
  )
}
