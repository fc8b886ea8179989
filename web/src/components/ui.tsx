/* Small shared pieces: titles, errors, fields, tables, badges. */
import { type ComponentProps, type ReactNode, useEffect, useId, useRef } from 'react'
import { ApiError } from '../api'
import type { CsvCell, CsvColumn } from '../csv'
import { STATUS_LABEL } from '../format'
import { Link } from '../router'
import type { UnitStatus } from '../types'

export function PageTitle({ children, actions }: { children: ReactNode; actions?: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null)
  useEffect(() => {
    const text = ref.current?.textContent
    if (text) document.title = `${text} · Serial Ledger`
  })
  return (
    <div className="page-title">
      <h1 ref={ref} tabIndex={-1} id="page-title">
        {children}
      </h1>
      {actions && <div className="page-actions">{actions}</div>}
    </div>
  )
}

/** A report's title, with the button that downloads the report as CSV (`csv`: its URL, with the filters shown). */
export function ReportTitle({ children, csv }: { children: ReactNode; csv: string }) {
  return (
    <PageTitle
      actions={
        <a className="button" href={csv}>
          Export CSV
        </a>
      }
    >
      {children}
    </PageTitle>
  )
}

/** An API error as a person reads it: the sentence, then each row/field the server named. */
export function ErrorBox({ error, title }: { error: unknown; title?: string }) {
  if (!error) return null
  const e = error instanceof ApiError ? error : undefined
  const issues = e?.allIssues ?? []
  return (
    <div className="error-box" role="alert">
      <strong>{title ?? (e?.status === 404 ? 'Not found' : 'Refused')}</strong>
      <p>{e ? e.detail : error instanceof Error ? error.message : String(error)}</p>
      {issues.length > 0 && (
        <ul>
          {issues.slice(0, 20).map((i, k) => (
            <li key={k}>
              {i.row !== undefined && <>row {i.row}, </>}
              <code>{i.field}</code>
              {i.value !== undefined && (
                <>
                  {' '}
                  (<code>{i.value}</code>)
                </>
              )}
              : {i.message}
            </li>
          ))}
          {issues.length > 20 && <li>…and {issues.length - 20} more</li>}
        </ul>
      )}
      {e?.code && <small className="muted">code {e.code}</small>}
    </div>
  )
}

export function Loading({ what = 'Loading' }: { what?: string }) {
  return (
    <p className="loading" role="status">
      {what}…
    </p>
  )
}

export function StatusBadge({ status }: { status: UnitStatus }) {
  return <span className={`badge status-${status}`}>{STATUS_LABEL[status] ?? status}</span>
}

/** The suggestions a text field offers as the user types (its `list`): codes with their names. */
export function Suggestions({ id, options }: { id: string; options: readonly { value: string; label?: string }[] }) {
  return (
    <datalist id={id}>
      {options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </datalist>
  )
}

/** A field's label; a required field's star is for the eye only (the input says aria-required). */
export function FieldLabel({ htmlFor, label, required }: { htmlFor: string; label: ReactNode; required?: boolean }) {
  return (
    <label htmlFor={htmlFor}>
      {label}
      {required && <span aria-hidden="true"> *</span>}
    </label>
  )
}

/** The hint under a field, `<field id>-hint`: what its input's aria-describedby names. */
export function FieldHint({ fieldId, hint }: { fieldId: string; hint?: ReactNode }) {
  if (!hint) return null
  return (
    <small id={`${fieldId}-hint`} className="hint">
      {hint}
    </small>
  )
}

/** What every labelled text field takes: its value, its suggestions, whether it is required, a hint. */
export interface TextFieldProps {
  label: string
  value: string
  onChange: (v: string) => void
  options?: { value: string; label?: string }[]
  required?: boolean
  hint?: string
  id?: string
  autoFocus?: boolean
}

/** A labelled text field with an optional list of suggestions (codes of SKUs, locations, parties). */
export function Field({
  label,
  value,
  onChange,
  options,
  required,
  hint,
  type = 'text',
  id,
  autoFocus,
  placeholder,
  inputMode,
  step,
}: TextFieldProps & {
  type?: string
  placeholder?: string
  inputMode?: 'text' | 'decimal' | 'numeric' | 'search'
  step?: string
}) {
  const auto = useId()
  const fid = id ?? auto
  return (
    <div className="field">
      <FieldLabel htmlFor={fid} label={label} required={required} />
      <input
        id={fid}
        type={type}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        list={options ? `${fid}-list` : undefined}
        required={required}
        aria-required={required}
        aria-describedby={hint ? `${fid}-hint` : undefined}
        autoComplete="off"
        autoFocus={autoFocus}
        placeholder={placeholder}
        inputMode={inputMode}
        step={step}
      />
      {options && <Suggestions id={`${fid}-list`} options={options} />}
      <FieldHint fieldId={fid} hint={hint} />
    </div>
  )
}

/** A select's choices: a list of value and label, or an object from each value to its label (in order). */
export type Choices<V extends string> = readonly { value: V; label: string }[] | Readonly<Record<V, string>>

const choiceList = <V extends string>(options: Choices<V>): readonly { value: V; label: string }[] =>
  Array.isArray(options)
    ? options
    : (Object.entries(options) as [V, string][]).map(([value, label]) => ({ value, label }))

/** A labelled select; its value and onChange have the type of its choices (`'day' | 'week'`: no cast). */
export function Select<V extends string>({
  label,
  value,
  onChange,
  options,
  id,
  hint,
}: {
  label: string
  value: V
  onChange: (v: V) => void
  options: Choices<V>
  id?: string
  hint?: string
}) {
  const auto = useId()
  const fid = id ?? auto
  return (
    <div className="field">
      <FieldLabel htmlFor={fid} label={label} />
      <select
        id={fid}
        value={value}
        onChange={(e) => onChange(e.target.value as V)}
        aria-describedby={hint ? `${fid}-hint` : undefined}
      >
        {choiceList(options).map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <FieldHint fieldId={fid} hint={hint} />
    </div>
  )
}

export function KeyValues({ rows }: { rows: [string, ReactNode][] }) {
  return (
    <dl className="kv">
      {rows.map(([k, v]) => (
        <div key={k} className="kv-row">
          <dt>{k}</dt>
          <dd>{v ?? '—'}</dd>
        </div>
      ))}
    </dl>
  )
}

/** A table that scrolls sideways on a phone instead of squashing. */
export function TableWrap({ children, label }: { children: ReactNode; label?: string }) {
  return (
    <div className="table-wrap" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  )
}

/** A form whose submit (a button, or Enter in a field) runs `onSubmit` instead of loading a page. */
export function Form({ onSubmit, ...form }: Omit<ComponentProps<'form'>, 'onSubmit'> & { onSubmit: () => void }) {
  return (
    <form
      {...form}
      onSubmit={(e) => {
        e.preventDefault()
        onSubmit()
      }}
    />
  )
}

/** "Saved", once a save has succeeded and until the next one starts. */
export function Saved({ mutation }: { mutation: { isSuccess: boolean; isPending: boolean } }) {
  if (!mutation.isSuccess || mutation.isPending) return null
  return (
    <span className="ok-text" role="status">
      Saved
    </span>
  )
}

/** A form's action bar with its submit button: primary unless `secondary`, disabled while `busy`. */
export function FormSubmit({
  children,
  secondary,
  busy,
}: {
  children: ReactNode
  secondary?: boolean
  busy?: boolean
}) {
  return (
    <div className="filter-actions">
      <button className={secondary ? 'button' : 'button primary'} type="submit" disabled={busy}>
        {children}
      </button>
    </div>
  )
}

/** The filter bar of a list page: its fields, a Search button, and the query applied on submit. */
export function SearchForm({ onSearch, children }: { onSearch: () => void; children: ReactNode }) {
  return (
    <Form className="card filters" role="search" onSubmit={onSearch}>
      {children}
      <FormSubmit>Search</FormSubmit>
    </Form>
  )
}

/** One column of a DataTable: its header and what each row shows in it. */
export interface Column<R> {
  header: ReactNode
  cell: (row: R) => ReactNode
  /** Right-aligned figures. */
  numeric?: boolean
  /** The cell as the CSV export writes it (a column without it is not exported). */
  csv?: (row: R) => CsvCell
}

/** The exported columns of a table: those with a `csv` value (a text header names them). */
export const csvColumns = <R,>(columns: readonly Column<R>[]): CsvColumn<R>[] =>
  columns.flatMap((c) => (c.csv ? [{ header: typeof c.header === 'string' ? c.header : '', value: c.csv }] : []))

export interface DataTableProps<R> {
  label: string
  columns: Column<R>[]
  rows: readonly R[]
  rowKey: (row: R) => string | number
  empty?: string
  footer?: ReactNode
  className?: string
  testId?: string
}

/**
 * A headline figure on a card: what it counts, the figure (a link when `to` is given, `testId` on it),
 * and an optional line under it (`note`). `unit` is read out after the figure by screen readers only.
 */
export function StatCard({
  label,
  value,
  to,
  testId,
  unit,
  note,
}: {
  label: ReactNode
  value: ReactNode
  to?: string
  testId?: string
  unit?: string
  note?: ReactNode
}) {
  return (
    <div className="card stat">
      <span className="stat-label">{label}</span>
      {to ? (
        <Link className="stat-value" data-testid={testId} to={to}>
          {value}
        </Link>
      ) : (
        <span className="stat-value" data-testid={testId}>
          {value}
        </span>
      )}
      {unit && <span className="visually-hidden">{unit}</span>}
      {note !== undefined && <span className="muted">{note}</span>}
    </div>
  )
}

/** A card with a heading and a table under it; the table is labelled by the heading unless `label` says otherwise. */
export function TableCard<R>({
  title,
  label,
  ...table
}: Omit<DataTableProps<R>, 'label'> & { title: string; label?: string }) {
  return (
    <div className="card">
      <h2>{title}</h2>
      <DataTable label={label ?? title} {...table} />
    </div>
  )
}

/**
 * A list as a table (scrolling sideways on a phone): one row per item, a line saying so when there
 * are none (omit `empty` to show an empty table), and an optional footer row (totals).
 */
export function DataTable<R>({
  label,
  columns,
  rows,
  rowKey,
  empty,
  footer,
  className = 'table',
  testId,
}: DataTableProps<R>) {
  return (
    <TableWrap label={label}>
      <table className={className} data-testid={testId}>
        <thead>
          <tr>
            {columns.map((c, i) => (
              <th key={i} scope="col" className={c.numeric ? 'num' : undefined}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={rowKey(r)}>
              {columns.map((c, i) => (
                <td key={i} className={c.numeric ? 'num' : undefined}>
                  {c.cell(r)}
                </td>
              ))}
            </tr>
          ))}
          {rows.length === 0 && empty && (
            <tr>
              <td colSpan={columns.length} className="empty">
                {empty}
              </td>
            </tr>
          )}
        </tbody>
        {footer && <tfoot>{footer}</tfoot>}
      </table>
    </TableWrap>
  )
}
