/*
 * Warranty at the counter: a unit's warranty by scan (status, the rule that gave it, supplier term,
 * owner, claims) with the claim flow under it, and the QR token of its public check.
 */
import { useMutation, useQuery } from '@tanstack/react-query'
import { type FormEvent, useRef, useState } from 'react'
import { api, newIdempotencyKey } from '../api'
import { ErrorBox, Field, Form, KeyValues, Loading, PageTitle, Select } from '../components/ui'
import { eventLabel } from '../format'
import { afterWrite } from '../queries'

const STATUS_TEXT: Record<string, string> = {
  in_warranty: 'In warranty',
  expired: 'Expired',
  not_sold: 'Not yet sold',
  void: 'Void',
  none: 'No warranty',
}

export function WarrantyPage() {
  const [draft, setDraft] = useState('')
  const [code, setCode] = useState('')
  const q = useQuery({
    queryKey: ['units', 'warranty', code],
    queryFn: () => api.warranty(code),
    enabled: code !== '',
  })
  const submit = (e: FormEvent) => {
    e.preventDefault()
    setCode(draft.trim())
  }
  const w = q.data
  return (
    <section className="page">
      <PageTitle>Warranty check</PageTitle>
      <form className="form-row" onSubmit={submit}>
        <Field label="Scan or type a serial" value={draft} onChange={setDraft} autoFocus inputMode="search" />
        <button type="submit" className="button primary">
          Check
        </button>
      </form>
      <ErrorBox error={q.error} />
      {q.isFetching && <Loading />}
      {w && (
        <>
          <div className="card" data-testid="warranty-result">
            <h2>
              {w.sku.code} {w.serial}{' '}
              <span className={`badge warranty-${w.warranty.status}`}>{STATUS_TEXT[w.warranty.status]}</span>
            </h2>
            <KeyValues
              rows={[
                ['Product', w.sku.name],
                ['Unit', w.unitStatus.replace(/_/g, ' ')],
                ['Warranty', `${w.warranty.startsOn ?? '—'} to ${w.warranty.endsOn ?? '—'}`],
                ['Rule', w.warranty.rule.replace(/_/g, ' ')],
                ['Why', w.warranty.explanation.join('; ')],
                [
                  'Supplier warranty',
                  `${w.supplier.months} months to ${w.supplier.endsOn ?? '—'}` +
                    (w.supplier.covered ? ' — cost can be passed back to the supplier' : ''),
                ],
                [
                  'Owner',
                  w.owner ? `${w.owner.code} ${w.owner.name}${w.owner.transferred ? ' (transferred)' : ''}` : null,
                ],
                ['Order', w.orderRef],
                ['Coverage', w.coverage],
              ]}
            />
            {w.cloneSignals.length > 0 && (
              <ul className="signals" aria-label="Cloned label signals">
                {w.cloneSignals.map((s) => (
                  <li key={s}>{s}</li>
                ))}
              </ul>
            )}
            <h3>Claims and repairs</h3>
            {w.history.length === 0 ? (
              <p className="empty">None</p>
            ) : (
              <ul>
                {w.history.map((h) => (
                  <li key={h.seq}>
                    {h.occurredAt.slice(0, 10)} {eventLabel(h.type)} {h.outcome ?? ''} {h.document ?? ''}{' '}
                    {h.reason ? `— ${h.reason}` : ''}
                  </li>
                ))}
              </ul>
            )}
          </div>
          <ClaimForm serial={w.serial} onDone={() => void q.refetch()} />
          <CheckToken serial={w.serial} />
        </>
      )}
    </section>
  )
}

const OUTCOMES = ['repair', 'replace', 'refund', 'reject'] as const

function ClaimForm({ serial, onDone }: { serial: string; onDone: () => void }) {
  const empty = {
    customer: '',
    orderRef: '',
    email: '',
    phone: '',
    location: '',
    replacement: '',
    fault: '',
    reason: '',
  }
  const [f, setF] = useState(empty)
  const [outcome, setOutcome] = useState<(typeof OUTCOMES)[number]>('repair')
  const key = useRef(newIdempotencyKey())
  const set = (k: keyof typeof empty) => (v: string) => setF({ ...f, [k]: v })
  const opt = (v: string) => (v.trim() ? v.trim() : undefined)
  const claim = useMutation({
    mutationFn: () =>
      api.claimWarranty(
        {
          serial,
          claimant: { customer: opt(f.customer), orderRef: opt(f.orderRef), email: opt(f.email), phone: opt(f.phone) },
          outcome,
          location: opt(f.location),
          replacement: opt(f.replacement),
          fault: f.fault.trim(),
          reason: opt(f.reason),
        },
        key.current,
      ),
    onSuccess: async () => {
      key.current = newIdempotencyKey()
      await afterWrite.stock()
      onDone()
    },
  })
  return (
    <Form className="card" aria-label="Warranty claim" onSubmit={() => claim.mutate()}>
      <h2>Record a claim</h2>
      <p className="muted">The claimant must match the recorded buyer by one of these.</p>
      <div className="form-row">
        <Field label="Customer code" value={f.customer} onChange={set('customer')} />
        <Field label="Order number" value={f.orderRef} onChange={set('orderRef')} />
        <Field label="E-mail" value={f.email} onChange={set('email')} type="email" />
        <Field label="Phone" value={f.phone} onChange={set('phone')} inputMode="numeric" />
      </div>
      <div className="form-row">
        <Select
          label="Outcome"
          value={outcome}
          onChange={setOutcome}
          options={OUTCOMES.map((o) => ({ value: o, label: o }))}
        />
        <Field label="Fault reported" value={f.fault} onChange={set('fault')} required />
        {outcome !== 'reject' && (
          <Field label="Location (bench, shelf)" value={f.location} onChange={set('location')} />
        )}
        {outcome === 'replace' && (
          <Field label="Replacement serial" value={f.replacement} onChange={set('replacement')} />
        )}
        {outcome === 'reject' && <Field label="Reason" value={f.reason} onChange={set('reason')} required />}
      </div>
      <ErrorBox error={claim.error} />
      {claim.data && (
        <p className="ok-text" role="status">
          Claim {claim.data.number} recorded ({claim.data.outcome}, matched by {claim.data.matchedBy.join(', ')})
          {claim.data.replacementEndsOn && `; replacement warranty to ${claim.data.replacementEndsOn}`}
          {claim.data.supplierCovered && '; the supplier warranty covers it'}
        </p>
      )}
      <button type="submit" className="button primary" disabled={claim.isPending}>
        Record claim
      </button>
    </Form>
  )
}

function CheckToken({ serial }: { serial: string }) {
  const issue = useMutation({ mutationFn: () => api.issueCheckToken(serial, newIdempotencyKey()) })
  return (
    <div className="card">
      <h2>Public check label</h2>
      <p className="muted">Issuing a new link stops the old one (a copied label) from working.</p>
      <ErrorBox error={issue.error} />
      {issue.data && (
        <p>
          <a href={issue.data.url} data-testid="check-link">
            {location.origin}
            {issue.data.url}
          </a>
        </p>
      )}
      <button type="button" className="button" onClick={() => issue.mutate()} disabled={issue.isPending}>
        Issue new link
      </button>
    </div>
  )
}

/** The public authenticity and warranty check a QR label opens: no sign-in, phone-sized, nothing personal. */
export function PublicCheckPage({ token }: { token: string }) {
  const q = useQuery({ queryKey: ['public-check', token], queryFn: () => api.publicCheck(token) })
  const c = q.data
  return (
    <main className="public-check" id="main">
      <h1>Product check</h1>
      {q.isPending && <Loading what="Checking" />}
      <ErrorBox error={q.error} />
      {c && (
        <div className={`card ${c.genuine ? 'genuine' : 'unconfirmed'}`} data-testid="public-check">
          <p className="verdict">{c.message}</p>
          {c.genuine && (
            <KeyValues
              rows={[
                ['Product', c.product],
                ['Sold', c.soldMonth],
                ['Warranty until', c.warrantyEndsOn],
              ]}
            />
          )}
        </div>
      )}
    </main>
  )
}
