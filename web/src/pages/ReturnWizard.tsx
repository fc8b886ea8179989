/*
 * The verified return: the clerk scans the serials the customer brings and names the customer or order;
 * each unit's checks are shown passed or failed with their named reason, with the fraud signals; a
 * manager may override a failed check with a reason; then the return is taken and each unit disposed of.
 */
import { useMutation, useQuery } from '@tanstack/react-query'
import { useRef, useState } from 'react'
import { api, newIdempotencyKey } from '../api'
import { useAuth } from '../auth'
import { ErrorBox, Field, Form, PageTitle, Select } from '../components/ui'
import { afterWrite } from '../queries'

type Verification = Awaited<ReturnType<typeof api.verifyReturn>>
const DISPOSITIONS = [
  { value: 'restock', label: 'Restock as new' },
  { value: 'open_box', label: 'Restock as open-box' },
  { value: 'repair', label: 'Send to repair' },
  { value: 'vendor', label: 'Return to vendor' },
  { value: 'scrap', label: 'Scrap' },
] as const

export function ReturnWizardPage() {
  const auth = useAuth()
  const canOverride = auth.can('stock.adjust')
  const [f, setF] = useState({ location: '', customer: '', orderRef: '', sku: '', serials: '', reason: '' })
  const [overrides, setOverrides] = useState<Record<string, string>>({})
  const key = useRef(newIdempotencyKey())
  const set = (k: keyof typeof f) => (v: string) => setF({ ...f, [k]: v })
  const opt = (v: string) => (v.trim() ? v.trim() : undefined)
  const serials = f.serials
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean)
  const body = () => ({
    location: f.location.trim(),
    customer: opt(f.customer),
    orderRef: opt(f.orderRef),
    sku: opt(f.sku),
    reason: opt(f.reason),
    units: serials,
    quantities: [],
    overrides: Object.entries(overrides)
      .filter(([, reason]) => reason.trim())
      .map(([k, reason]) => {
        const [serial, check] = k.split('|') as [string, Verification['units'][number]['checks'][number]['check']]
        return { serial, check, reason: reason.trim() }
      }),
  })
  const verify = useMutation({ mutationFn: () => api.verifyReturn({ ...body(), overrides: [] }) })
  const take = useMutation({
    mutationFn: () => api.returnGoods(body(), key.current),
    onSuccess: async () => {
      key.current = newIdempotencyKey()
      await afterWrite.stock()
    },
  })
  const v = verify.data
  return (
    <section className="page">
      <PageTitle>Verified return</PageTitle>
      <Form
        className="card"
        aria-label="Return"
        onSubmit={() => {
          take.reset()
          verify.mutate()
        }}
      >
        <div className="form-row">
          <Field label="Returned to (location)" value={f.location} onChange={set('location')} required />
          <Field label="Customer code" value={f.customer} onChange={set('customer')} />
          <Field label="Order number" value={f.orderRef} onChange={set('orderRef')} />
          <Field label="SKU the customer names" value={f.sku} onChange={set('sku')} />
        </div>
        <div className="field">
          <label htmlFor="return-serials">Serials (scan one per line)</label>
          <textarea
            id="return-serials"
            rows={3}
            value={f.serials}
            onChange={(e) => set('serials')(e.target.value)}
            autoFocus
          />
        </div>
        <button type="submit" className="button primary" disabled={verify.isPending}>
          Verify
        </button>
      </Form>
      <ErrorBox error={verify.error} />
      {v && (
        <div className="card" data-testid="return-verification">
          <h2>{v.ok ? 'Every check passed' : 'Some checks failed'}</h2>
          {v.signals.length > 0 && (
            <ul className="signals" aria-label="Fraud signals">
              {v.signals.map((s) => (
                <li key={s}>{s}</li>
              ))}
            </ul>
          )}
          {v.units.map((u, i) => (
            <div key={`${u.serial}-${i}`} className="return-unit">
              <h3>
                {u.serial} {u.sku && <span className="muted">{u.sku}</span>}{' '}
                {u.status && <span className="muted">({u.status.replace(/_/g, ' ')})</span>}
              </h3>
              <ul className="checks">
                {u.checks.map((c) => (
                  <li key={c.check} className={c.passed ? 'check-pass' : 'check-fail'} data-check={c.check}>
                    <span aria-hidden="true">{c.passed ? '✓' : '✗'}</span> <strong>{c.check.replace(/_/g, ' ')}</strong>
                    : {c.message}
                    {!c.passed && c.overridable && canOverride && (
                      <Field
                        label={`Override ${c.check.replace(/_/g, ' ')}: reason`}
                        value={overrides[`${u.serial}|${c.check}`] ?? ''}
                        onChange={(r) => setOverrides({ ...overrides, [`${u.serial}|${c.check}`]: r })}
                      />
                    )}
                    {!c.passed && c.overridable && !canOverride && (
                      <span className="muted"> (a manager may override)</span>
                    )}
                  </li>
                ))}
              </ul>
              {u.signals.length > 0 && (
                <ul className="signals" aria-label={`Fraud signals for ${u.serial}`}>
                  {u.signals.map((s) => (
                    <li key={s}>{s}</li>
                  ))}
                </ul>
              )}
            </div>
          ))}
          <Field label="Return reason" value={f.reason} onChange={set('reason')} />
          <ErrorBox error={take.error} />
          {take.data ? (
            <p className="ok-text" role="status">
              Return {take.data.number} taken: {take.data.unitCount} units
            </p>
          ) : (
            <button type="button" className="button primary" onClick={() => take.mutate()} disabled={take.isPending}>
              Accept return
            </button>
          )}
        </div>
      )}
      {take.data && <Dispose serials={serials} />}
    </section>
  )
}

/** What becomes of the returned units: one disposition for the lot, each a ledger event. */
function Dispose({ serials }: { serials: string[] }) {
  const [disposition, setDisposition] = useState<(typeof DISPOSITIONS)[number]['value']>('restock')
  const [location, setLocation] = useState('')
  const [price, setPrice] = useState('')
  const dispose = useMutation({
    mutationFn: () =>
      api.disposeReturn(
        {
          disposition,
          units: serials,
          location: location.trim() || undefined,
          price: price.trim() ? Number(price) : undefined,
        },
        newIdempotencyKey(),
      ),
    onSuccess: afterWrite.stock,
  })
  return (
    <Form className="card" aria-label="Disposition" onSubmit={() => dispose.mutate()}>
      <h2>Disposition</h2>
      <div className="form-row">
        <Select label="What happens to them" value={disposition} onChange={setDisposition} options={DISPOSITIONS} />
        {disposition === 'repair' && <Field label="Repair bench" value={location} onChange={setLocation} />}
        {disposition === 'open_box' && (
          <Field label="Open-box price" value={price} onChange={setPrice} inputMode="decimal" />
        )}
      </div>
      <ErrorBox error={dispose.error} />
      {dispose.data && (
        <p className="ok-text" role="status">
          Done: {dispose.data.number}
        </p>
      )}
      <button type="submit" className="button primary" disabled={dispose.isPending || !!dispose.data}>
        Record disposition
      </button>
    </Form>
  )
}

/** The return fraud report: returns taken over a failed check, and customers returning often. */
export function ReturnFraudPage() {
  const q = useQuery({ queryKey: ['documents', 'return-fraud'], queryFn: () => api.returnFraud(90) })
  return (
    <section className="page">
      <PageTitle>Return fraud signals</PageTitle>
      <ErrorBox error={q.error} />
      {q.data && (
        <>
          <div className="card">
            <h2>Overridden checks (90 days)</h2>
            {q.data.overrides.length === 0 ? (
              <p className="empty">None</p>
            ) : (
              <ul>
                {q.data.overrides.map((o, i) => (
                  <li key={i}>
                    {o.occurredAt.slice(0, 10)} {o.number} {o.serial}: {o.check.replace(/_/g, ' ')} — {o.reason} (
                    {o.actor})
                  </li>
                ))}
              </ul>
            )}
          </div>
          <div className="card">
            <h2>Repeated returns</h2>
            {q.data.repeatCustomers.length === 0 ? (
              <p className="empty">None</p>
            ) : (
              <ul>
                {q.data.repeatCustomers.map((c) => (
                  <li key={c.customer}>
                    {c.customer} {c.name}: {c.returns} returns
                  </li>
                ))}
              </ul>
            )}
          </div>
        </>
      )}
    </section>
  )
}
