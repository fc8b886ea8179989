/*
 * Quality control: defect codes, the inspection screen (scan units, result, codes), the recall wizard
 * (criteria with live preview counts, open, quarantine), a recall's progress, the defect-analysis chart
 * (rates with their 95 % interval bars). Supplier claims are in Claims.tsx.
 */
import { useMutation, useQuery } from '@tanstack/react-query'
import { type FormEvent, type KeyboardEvent, useEffect, useState } from 'react'
import { Bar, BarChart, CartesianGrid, ErrorBar, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts'
import { api, newIdempotencyKey } from '../api'
import {
  DataTable,
  ErrorBox,
  Field,
  FormSubmit,
  KeyValues,
  Loading,
  PageTitle,
  ReportTitle,
  Select,
  StatCard,
} from '../components/ui'
import { fmtDateTime, fmtInt } from '../format'
import { queryClient } from '../queries'
import { Link, navigate } from '../router'

const pct = (share: number) => `${(share * 100).toFixed(1)} %`
const refresh = (...keys: string[]) => Promise.all(keys.map((k) => queryClient.invalidateQueries({ queryKey: [k] })))

// ---------------------------------------------------------------------------------------------------------
// Defect codes

export function DefectCodesPage() {
  const codes = useQuery({ queryKey: ['defect-codes'], queryFn: () => api.defectCodes() })
  const [code, setCode] = useState('')
  const [name, setName] = useState('')
  const create = useMutation({
    mutationFn: () => api.createDefectCode({ code: code.trim(), name: name.trim() }),
    onSuccess: () => {
      setCode('')
      setName('')
      void refresh('defect-codes')
    },
  })
  const toggle = useMutation({
    mutationFn: (c: { code: string; retired: boolean }) => api.updateDefectCode(c.code, { retired: !c.retired }),
    onSuccess: () => void refresh('defect-codes'),
  })
  const submit = (e: FormEvent) => {
    e.preventDefault()
    if (!create.isPending) create.mutate()
  }
  return (
    <section className="page">
      <PageTitle>Defect codes</PageTitle>
      <form className="card filters" onSubmit={submit} aria-label="New defect code">
        <Field label="Code" value={code} onChange={setCode} required placeholder="SCREEN" autoFocus />
        <Field label="Name" value={name} onChange={setName} required placeholder="Cracked or dead screen" />
        <FormSubmit busy={create.isPending}>Create</FormSubmit>
      </form>
      <ErrorBox error={create.error ?? toggle.error ?? codes.error} />
      {codes.data ? (
        <DataTable
          label="Defect codes"
          rows={codes.data}
          rowKey={(c) => c.code}
          empty="No defect code yet."
          columns={[
            { header: 'Code', cell: (c) => c.code },
            { header: 'Name', cell: (c) => c.name },
            { header: 'State', cell: (c) => (c.retired ? `retired ${fmtDateTime(c.retiredAt!)}` : 'in use') },
            {
              header: '',
              cell: (c) => (
                <button className="button" type="button" onClick={() => toggle.mutate(c)}>
                  {c.retired ? 'Restore' : 'Retire'}
                </button>
              ),
            },
          ]}
        />
      ) : (
        <Loading />
      )}
    </section>
  )
}

// ---------------------------------------------------------------------------------------------------------
// Inspection screen

/** A scan field: Enter adds the scanned serial to the list (a scanner sends Enter after each code). */
function ScanList({ serials, onChange, label }: { serials: string[]; onChange: (s: string[]) => void; label: string }) {
  const [raw, setRaw] = useState('')
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key !== 'Enter') return
    e.preventDefault()
    const s = raw.trim()
    if (s && !serials.includes(s)) onChange([...serials, s])
    setRaw('')
  }
  return (
    <div className="field">
      <label htmlFor="scan-units">{label}</label>
      <input
        id="scan-units"
        value={raw}
        onChange={(e) => setRaw(e.target.value)}
        onKeyDown={onKey}
        autoFocus
        autoComplete="off"
        placeholder="scan a serial, Enter"
      />
      <small className="hint" data-testid="scanned">
        {serials.length === 0 ? 'nothing scanned' : `${serials.length} scanned: ${serials.join(', ')}`}
      </small>
    </div>
  )
}

const ATTACHMENT_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'] as const
const MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024

/** A file's content as base64 (without the data-URL prefix). */
const base64Of = (file: File) =>
  new Promise<string>((resolve, reject) => {
    const reader = new FileReader()
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''))
    reader.onerror = () => reject(reader.error ?? new Error(`${file.name} could not be read`))
    reader.readAsDataURL(file)
  })

/** Uploads photos or PDFs (stored by their SHA-256) for the inspection to name; refuses wrong ones at once. */
function Attachments({ value, onChange }: { value: Ref[]; onChange: (refs: Ref[]) => void }) {
  const upload = useMutation({
    mutationFn: async (files: File[]) => {
      const refs: Ref[] = []
      for (const file of files) {
        if (!(ATTACHMENT_TYPES as readonly string[]).includes(file.type))
          throw new Error(`${file.name}: only JPEG, PNG, WebP photos and PDFs can be attached`)
        if (file.size > MAX_ATTACHMENT_BYTES)
          throw new Error(`${file.name} is ${fmtInt(file.size)} bytes; attachments may be up to 5 MB`)
        const body = { name: file.name, contentType: file.type as 'image/jpeg', base64: await base64Of(file) }
        const stored = await api.uploadAttachment(body)
        refs.push({ sha256: stored.sha256, name: stored.name })
      }
      return refs
    },
    onSuccess: (refs) => onChange([...value, ...refs.filter((r) => !value.some((v) => v.sha256 === r.sha256))]),
  })
  return (
    <div className="field">
      <label htmlFor="inspection-files">Photos or PDFs</label>
      <input
        id="inspection-files"
        type="file"
        multiple
        accept={ATTACHMENT_TYPES.join(',')}
        onChange={(e) => {
          const files = [...(e.target.files ?? [])]
          e.target.value = ''
          if (files.length) upload.mutate(files)
        }}
      />
      <small className="hint" data-testid="attachments">
        {upload.isPending
          ? 'uploading…'
          : value.length === 0
            ? 'none attached (up to 5 MB each)'
            : value.map((a) => `${a.name} (${a.sha256.slice(0, 12)}…)`).join(', ')}
      </small>
      {value.length > 0 && (
        <button className="button" type="button" onClick={() => onChange([])}>
          Remove attachments
        </button>
      )}
      <ErrorBox error={upload.error} />
    </div>
  )
}
type Ref = { sha256: string; name: string }

export function InspectPage() {
  const codes = useQuery({ queryKey: ['defect-codes'], queryFn: () => api.defectCodes() })
  const [units, setUnits] = useState<string[]>([])
  const [stage, setStage] = useState('receiving')
  const [result, setResult] = useState<'pass' | 'fail'>('pass')
  const [picked, setPicked] = useState<string[]>([])
  const [notes, setNotes] = useState('')
  const [hold, setHold] = useState(true)
  const [attachments, setAttachments] = useState<Ref[]>([])
  const save = useMutation({
    mutationFn: () =>
      api.inspect(
        {
          units,
          stage: stage as 'receiving',
          result,
          defectCodes: result === 'fail' ? picked : [],
          ...(notes.trim() && { notes: notes.trim() }),
          attachments,
          quarantine: result === 'fail' && hold,
        },
        newIdempotencyKey(),
      ),
    onSuccess: () => {
      setUnits([])
      setPicked([])
      setNotes('')
      setAttachments([])
      void refresh('units', 'stock', 'documents')
    },
  })
  const submit = (e: FormEvent) => {
    e.preventDefault()
    if (!save.isPending && units.length > 0) save.mutate()
  }
  return (
    <section className="page">
      <PageTitle>Inspect units</PageTitle>
      <form className="card" onSubmit={submit} aria-label="Inspection">
        <ScanList serials={units} onChange={setUnits} label="Units" />
        <div className="form-row">
          <Select
            label="Stage"
            value={stage}
            onChange={setStage}
            options={['receiving', 'return', 'ad_hoc', 'repair'].map((s) => ({ value: s, label: s.replace('_', ' ') }))}
          />
          <Select label="Result" value={result} onChange={setResult} options={{ pass: 'pass', fail: 'fail' }} />
        </div>
        {result === 'fail' && (
          <fieldset className="field">
            <legend>Defect codes</legend>
            {(codes.data ?? [])
              .filter((c) => !c.retired)
              .map((c) => (
                <label key={c.code} className="check">
                  <input
                    type="checkbox"
                    checked={picked.includes(c.code)}
                    onChange={(e) =>
                      setPicked(e.target.checked ? [...picked, c.code] : picked.filter((p) => p !== c.code))
                    }
                  />{' '}
                  {c.code} · {c.name}
                </label>
              ))}
            <label className="check">
              <input type="checkbox" checked={hold} onChange={(e) => setHold(e.target.checked)} /> quarantine the units
            </label>
          </fieldset>
        )}
        <Field label="Notes" value={notes} onChange={setNotes} />
        <Attachments value={attachments} onChange={setAttachments} />
        <button className="button primary" type="submit" disabled={save.isPending || units.length === 0}>
          Record inspection
        </button>
      </form>
      <ErrorBox error={save.error} />
      {save.data && (
        <p className="notice" role="status">
          Recorded {save.data.number}: {fmtInt(save.data.unitCount)} units.
        </p>
      )}
    </section>
  )
}

// ---------------------------------------------------------------------------------------------------------
// Recalls: the wizard, the list, a recall's progress

interface CriteriaDraft {
  skus: string
  lots: string
  supplier: string
  receipts: string
  serials: string
  receivedFrom: string
  receivedTo: string
  passedThrough: string
}
const EMPTY: CriteriaDraft = {
  skus: '',
  lots: '',
  supplier: '',
  receipts: '',
  serials: '',
  receivedFrom: '',
  receivedTo: '',
  passedThrough: '',
}
const list = (s: string) =>
  s
    .split(/[\s,]+/)
    .map((x) => x.trim())
    .filter(Boolean)

/** The criteria as the API takes them (empty fields left out). */
function criteriaOf(d: CriteriaDraft) {
  const c: Record<string, unknown> = {}
  if (list(d.skus).length) c.skus = list(d.skus)
  if (list(d.lots).length) c.lots = list(d.lots)
  if (d.supplier.trim()) c.supplier = d.supplier.trim()
  if (list(d.receipts).length) c.receipts = list(d.receipts)
  if (list(d.serials).length) c.serials = list(d.serials)
  if (d.receivedFrom) c.receivedFrom = d.receivedFrom
  if (d.receivedTo) c.receivedTo = d.receivedTo
  if (d.passedThrough.trim()) c.passedThrough = { location: d.passedThrough.trim() }
  return c
}

/** Waits `ms` after the last change before passing a value on (live preview while typing). */
function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value)
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms)
    return () => clearTimeout(t)
  }, [value, ms])
  return v
}

export function RecallsPage() {
  const recalls = useQuery({ queryKey: ['recalls'], queryFn: () => api.recalls() })
  return (
    <section className="page">
      <PageTitle
        actions={
          <Link className="button primary" to="/recalls/new">
            New recall
          </Link>
        }
      >
        Recalls
      </PageTitle>
      <ErrorBox error={recalls.error} />
      {recalls.data ? (
        <DataTable
          label="Recalls"
          rows={recalls.data}
          rowKey={(r) => r.number}
          empty="No recall."
          columns={[
            {
              header: 'Number',
              cell: (r) => <Link to={`/recalls/${encodeURIComponent(r.number)}`}>{r.number}</Link>,
            },
            { header: 'Title', cell: (r) => r.title },
            { header: 'Status', cell: (r) => r.status },
            { header: 'Opened', cell: (r) => fmtDateTime(r.openedAt) },
          ]}
        />
      ) : (
        <Loading />
      )}
    </section>
  )
}

export function RecallWizardPage() {
  const [draft, setDraft] = useState<CriteriaDraft>(EMPTY)
  const [title, setTitle] = useState('')
  const criteria = useDebounced(criteriaOf(draft), 300)
  const hasCriteria = Object.keys(criteria).length > 0
  const preview = useQuery({
    queryKey: ['recalls', 'preview', criteria],
    queryFn: ({ signal }) => api.previewRecall({ criteria }, signal),
    enabled: hasCriteria,
  })
  const open = useMutation({
    mutationFn: async (quarantine: boolean) => {
      const opened = await api.openRecall({ title: title.trim(), criteria: criteriaOf(draft) }, newIdempotencyKey())
      if (quarantine) await api.quarantineRecall(opened.number, newIdempotencyKey())
      return opened
    },
    onSuccess: (opened) => {
      void refresh('recalls', 'units', 'stock')
      navigate(`/recalls/${encodeURIComponent(opened.number)}`)
    },
  })
  const set = (k: keyof CriteriaDraft) => (v: string) => setDraft({ ...draft, [k]: v })
  const p = preview.data
  return (
    <section className="page">
      <PageTitle>New recall</PageTitle>
      <form className="card" aria-label="Recall criteria" onSubmit={(e) => e.preventDefault()}>
        <Field label="Title" value={title} onChange={setTitle} required placeholder="Battery swelling, lot 24-07" />
        <div className="form-row">
          <Field label="SKUs" value={draft.skus} onChange={set('skus')} hint="codes, comma-separated" />
          <Field label="Lots" value={draft.lots} onChange={set('lots')} />
          <Field label="Supplier" value={draft.supplier} onChange={set('supplier')} />
          <Field label="Receipts" value={draft.receipts} onChange={set('receipts')} />
        </div>
        <div className="form-row">
          <Field label="Serials" value={draft.serials} onChange={set('serials')} />
          <Field label="Received from" type="date" value={draft.receivedFrom} onChange={set('receivedFrom')} />
          <Field label="Received before" type="date" value={draft.receivedTo} onChange={set('receivedTo')} />
          <Field label="Passed through location" value={draft.passedThrough} onChange={set('passedThrough')} />
        </div>
      </form>
      <ErrorBox error={preview.error} />
      <div className="card" aria-live="polite">
        <h2>Affected units</h2>
        {!hasCriteria ? (
          <p className="muted">Name at least one criterion.</p>
        ) : !p ? (
          <Loading what="Counting" />
        ) : (
          <>
            <p data-testid="preview-message">{p.message}</p>
            <div className="cards">
              {p.byStatus.map((s) => (
                <StatCard
                  key={s.status}
                  label={s.status.replaceAll('_', ' ')}
                  value={fmtInt(s.count)}
                  testId={`preview-${s.status}`}
                />
              ))}
            </div>
            {p.inStockBySite.length > 0 && (
              <DataTable
                label="On our shelves, by site"
                rows={p.inStockBySite}
                rowKey={(s) => `${s.site}-${s.status}`}
                empty=""
                columns={[
                  { header: 'Site', cell: (s) => s.site },
                  { header: 'Status', cell: (s) => s.status.replaceAll('_', ' ') },
                  { header: 'Units', cell: (s) => fmtInt(s.count), numeric: true },
                ]}
              />
            )}
            {p.sold.length > 0 && (
              <DataTable
                label="Sold units"
                rows={p.sold}
                rowKey={(s) => `${s.sku}-${s.serial}`}
                empty=""
                columns={[
                  { header: 'Serial', cell: (s) => s.serial },
                  { header: 'Customer', cell: (s) => s.customer ?? '—' },
                  { header: 'Order', cell: (s) => s.order ?? '—' },
                  { header: 'Sold', cell: (s) => (s.soldAt ? fmtDateTime(s.soldAt) : '—') },
                ]}
              />
            )}
          </>
        )}
      </div>
      <ErrorBox error={open.error} />
      <div className="form-actions">
        <button
          className="button"
          type="button"
          disabled={!hasCriteria || !title.trim() || open.isPending}
          onClick={() => open.mutate(false)}
        >
          Open recall
        </button>
        <button
          className="button primary"
          type="button"
          disabled={!hasCriteria || !title.trim() || open.isPending}
          onClick={() => open.mutate(true)}
        >
          Open and quarantine stock
        </button>
      </div>
    </section>
  )
}

export function RecallPage({ number }: { number: string }) {
  const progress = useQuery({ queryKey: ['recalls', number], queryFn: () => api.recall(number) })
  const act = useMutation({
    mutationFn: async (what: 'quarantine' | 'close'): Promise<unknown> =>
      what === 'quarantine'
        ? api.quarantineRecall(number, newIdempotencyKey())
        : api.closeRecall(number, newIdempotencyKey()),
    onSuccess: () => void refresh('recalls', 'units', 'stock'),
  })
  const d = progress.data
  return (
    <section className="page">
      <PageTitle
        actions={
          <a className="button" href={`/api/v1/recalls/${encodeURIComponent(number)}/customers`}>
            Customer list (CSV)
          </a>
        }
      >
        Recall {number}
      </PageTitle>
      <ErrorBox error={progress.error ?? act.error} />
      {!d ? (
        <Loading />
      ) : (
        <>
          <KeyValues
            rows={[
              ['Title', d.recall.title],
              ['Status', <span data-testid="recall-status">{d.recall.status}</span>],
              ['Opened', fmtDateTime(d.recall.openedAt)],
              [
                'Resolved',
                <span data-testid="recall-resolved">
                  {fmtInt(d.resolved)} of {fmtInt(d.affected)}
                </span>,
              ],
            ]}
          />
          <div className="grid-2">
            <DataTable
              label="By status"
              rows={d.byStatus}
              rowKey={(s) => s.status}
              empty="No unit affected."
              columns={[
                { header: 'Status', cell: (s) => s.status.replaceAll('_', ' ') },
                { header: 'Units', cell: (s) => <span data-testid={`status-${s.status}`}>{fmtInt(s.count)}</span> },
              ]}
            />
            <DataTable
              label="By outcome"
              rows={d.byOutcome}
              rowKey={(s) => s.outcome}
              empty="No outcome recorded yet."
              columns={[
                { header: 'Outcome', cell: (s) => s.outcome },
                { header: 'Units', cell: (s) => fmtInt(s.count) },
              ]}
            />
          </div>
          {d.recall.status === 'open' && <OutcomeForm number={number} />}
          {d.recall.status === 'open' && (
            <div className="form-actions">
              <button
                className="button"
                type="button"
                disabled={act.isPending}
                onClick={() => act.mutate('quarantine')}
              >
                Quarantine stock
              </button>
              <button className="button" type="button" disabled={act.isPending} onClick={() => act.mutate('close')}>
                Close recall
              </button>
            </div>
          )}
        </>
      )}
    </section>
  )
}

const OUTCOMES = ['returned', 'repaired', 'replaced', 'refunded', 'destroyed', 'unreachable'] as const

/** Records what became of affected units (scanned or typed serials), one outcome at a time. */
function OutcomeForm({ number }: { number: string }) {
  const [units, setUnits] = useState('')
  const [outcome, setOutcome] = useState<(typeof OUTCOMES)[number]>('returned')
  const save = useMutation({
    mutationFn: () => api.recordRecallOutcome(number, { outcome, units: list(units) }, newIdempotencyKey()),
    onSuccess: () => {
      setUnits('')
      void refresh('recalls')
    },
  })
  const submit = (e: FormEvent) => {
    e.preventDefault()
    if (!save.isPending && list(units).length > 0) save.mutate()
  }
  return (
    <form className="card filters" onSubmit={submit} aria-label="Record an outcome">
      <Field label="Serials" value={units} onChange={setUnits} hint="scanned or typed, comma-separated" />
      <Select
        label="Outcome"
        value={outcome}
        onChange={setOutcome}
        options={OUTCOMES.map((o) => ({ value: o, label: o }))}
      />
      <FormSubmit busy={save.isPending}>Record outcome</FormSubmit>
      <ErrorBox error={save.error} />
    </form>
  )
}

// ---------------------------------------------------------------------------------------------------------
// Defect analysis

const DIMENSION_LABELS = {
  supplier: 'Supplier',
  receipt: 'Receipt',
  lot: 'Lot',
  sku: 'SKU',
  location: 'Location',
  site: 'Site (its zones and bins too)',
}
type Dim = keyof typeof DIMENSION_LABELS

export function DefectsPage() {
  const [dimension, setDimension] = useState<Dim>('supplier')
  const [measure, setMeasure] = useState<'defect' | 'return'>('defect')
  const report = useQuery({
    queryKey: ['defects', dimension, measure],
    queryFn: () => api.defects({ dimension, measure }),
  })
  const rows = report.data?.rows ?? []
  const chart = rows.map((r) => ({
    label: r.label,
    rate: r.rate * 100,
    interval: [(r.rate - r.low) * 100, (r.high - r.rate) * 100] as [number, number],
  }))
  return (
    <section className="page">
      <ReportTitle csv={`/api/v1/reports/defects.csv?dimension=${dimension}&measure=${measure}`}>
        Defect analysis
      </ReportTitle>
      <div className="form-row">
        <Select label="By" value={dimension} onChange={setDimension} options={DIMENSION_LABELS} />
        <Select
          label="Rate"
          value={measure}
          onChange={setMeasure}
          options={{ defect: 'defects (failed inspections)', return: 'customer returns' }}
        />
      </div>
      <ErrorBox error={report.error} />
      {!report.data ? (
        <Loading />
      ) : (
        <>
          <div className="card" data-testid="defect-chart">
            <h2>
              {measure === 'defect' ? 'Defect' : 'Return'} rate by {DIMENSION_LABELS[dimension].toLowerCase()}, with its
              95 % interval
            </h2>
            <ResponsiveContainer width="100%" height={280}>
              <BarChart data={chart} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="label" />
                <YAxis unit=" %" />
                <Tooltip formatter={(v) => `${Number(v).toFixed(1)} %`} />
                <Bar dataKey="rate" fill="#c2410c" isAnimationActive={false}>
                  <ErrorBar dataKey="interval" width={8} stroke="#111" strokeWidth={2} isAnimationActive={false} />
                </Bar>
              </BarChart>
            </ResponsiveContainer>
          </div>
          <DataTable
            label="Rates, the likely culprit first"
            rows={rows}
            rowKey={(r) => `${r.dimension}-${r.key}`}
            empty="No unit in this period."
            columns={[
              { header: DIMENSION_LABELS[dimension], cell: (r) => r.label },
              { header: 'Units', cell: (r) => fmtInt(r.units), numeric: true },
              {
                header: measure === 'defect' ? 'Defective' : 'Returned',
                cell: (r) => fmtInt(measure === 'defect' ? r.defective : r.returned),
                numeric: true,
              },
              { header: 'Rate', cell: (r) => pct(r.rate), numeric: true },
              { header: '95 % interval', cell: (r) => `${pct(r.low)} – ${pct(r.high)}` },
              { header: 'Lift', cell: (r) => (r.lift === null ? '—' : `× ${r.lift.toFixed(2)}`), numeric: true },
              { header: '', cell: (r) => (r.tooFew ? 'too few units' : '') },
            ]}
          />
        </>
      )}
    </section>
  )
}
