/*
 * The page every list shares (SKUs, locations, parties, documents, users): a title, a create form (behind
 * a toggle shown to catalog writers, or always open), the filter bar, and the table with its loading,
 * empty and error states, paging when the list is long, and the CSV export of the whole list. Filters
 * and the page live in the URL query, so a filtered list can be linked to.
 */
import { type MutationFunction, useMutation, useQuery, type UseQueryOptions } from '@tanstack/react-query'
import { type FormEvent, type ReactNode, useState } from 'react'
import { useAuth } from '../auth'
import { Link, setQuery, useLocation } from '../router'
import { CsvExport } from './CsvExport'
import {
  type Column,
  csvColumns,
  DataTable,
  type DataTableProps,
  ErrorBox,
  Field,
  FormSubmit,
  Loading,
  PageTitle,
  SearchForm,
  Select,
} from './ui'

/**
 * The first columns of a reference-data list (SKUs, locations, parties), both exported: the code, linking
 * to the item's page under `base` (`/skus`), and the name.
 */
export const codeAndNameColumns = <R extends { code: string; name: string }>(base: string): Column<R>[] => [
  {
    header: 'Code',
    cell: (r) => <Link to={`${base}/${encodeURIComponent(r.code)}`}>{r.code}</Link>,
    csv: (r) => r.code,
  },
  { header: 'Name', cell: (r) => r.name, csv: (r) => r.name },
]

/** One field of the filter bar: a text field, or a choice (after "Any") when it has options. */
export interface FilterField {
  name: string
  label: string
  options?: { value: string; label: string }[]
  inputMode?: 'search'
}

/** The filters in force, from the URL query; an empty one is undefined. */
export type Applied = Record<string, string | undefined>

export interface ListPageProps<R> {
  title: string
  /** The create form; `done` closes it after a create. */
  create?: { label: string; form: (done: () => void) => ReactNode; isAlwaysOpen?: boolean }
  filters?: readonly FilterField[]
  /**
   * The list's query for the filters in force (its key is the query's own business, hence `any`); with
   * `pageSize`, for one page: it asks for one row more than the page, which says a next page exists.
   */
  query: (applied: Applied, page: { limit: number; offset: number }) => UseQueryOptions<R[], Error, R[], any>
  /** Rows per page; none: one page of whatever the query returns. */
  pageSize?: number
  /** Every row under the filters, for the CSV export; none: the rows the query returned. */
  exportAll?: (applied: Applied) => Promise<R[]>
  table: Omit<DataTableProps<R>, 'rows'>
  /** Shown above the table (a refused row action). */
  children?: ReactNode
}

export function ListPage<R>(props: ListPageProps<R>) {
  const { title, create, filters = [], query, table, children, pageSize, exportAll } = props
  const loc = useLocation()
  const applied: Applied = Object.fromEntries(filters.map((f) => [f.name, loc.query.get(f.name) || undefined]))
  const [draft, setDraft] = useState(() => Object.fromEntries(filters.map((f) => [f.name, applied[f.name] ?? ''])))
  const pageNo = Math.max(1, Number(loc.query.get('page')) || 1)
  const list = useQuery(
    query(applied, pageSize ? { limit: pageSize + 1, offset: (pageNo - 1) * pageSize } : { limit: 1000, offset: 0 }),
  )
  const rows = pageSize ? list.data?.slice(0, pageSize) : list.data
  const hasNext = pageSize !== undefined && (list.data?.length ?? 0) > pageSize
  const [isCreating, setCreating] = useState(false)
  const toggle = create && !create.isAlwaysOpen && (
    <CreateToggle label={create.label} open={isCreating} onToggle={() => setCreating((c) => !c)} />
  )
  return (
    <section className="page">
      <PageTitle actions={toggle}>{title}</PageTitle>
      {create && (create.isAlwaysOpen || isCreating) && create.form(() => setCreating(false))}
      {filters.length > 0 && (
        <SearchForm onSearch={() => setQuery({ ...draft, page: undefined })}>
          {filters.map((f) => {
            const bind = {
              label: f.label,
              value: draft[f.name] ?? '',
              onChange: (v: string) => setDraft({ ...draft, [f.name]: v }),
            }
            return f.options ? (
              <Select key={f.name} {...bind} options={[{ value: '', label: 'Any' }, ...f.options]} />
            ) : (
              <Field key={f.name} {...bind} inputMode={f.inputMode} />
            )
          })}
        </SearchForm>
      )}
      {children}
      <ErrorBox error={list.error} />
      {list.isPending && <Loading />}
      {rows && (
        <>
          <DataTable {...table} rows={rows} />
          <div className="list-footer">
            {pageSize && (
              <nav className="pager" aria-label="Pages">
                <button
                  className="button"
                  type="button"
                  disabled={pageNo <= 1}
                  onClick={() => setQuery({ page: pageNo > 2 ? String(pageNo - 1) : undefined })}
                >
                  ← Previous
                </button>
                <span className="muted">
                  Page {pageNo} · rows {(pageNo - 1) * pageSize + (rows.length ? 1 : 0)}–
                  {(pageNo - 1) * pageSize + rows.length}
                </span>
                <button
                  className="button"
                  type="button"
                  disabled={!hasNext}
                  onClick={() => setQuery({ page: String(pageNo + 1) })}
                >
                  Next →
                </button>
              </nav>
            )}
            <CsvExport
              what={title}
              columns={csvColumns(table.columns)}
              rows={() => (exportAll ? exportAll(applied) : rows)}
            />
          </div>
        </>
      )}
    </section>
  )
}

/** The button that opens a list page's create form, shown to users who may change the catalog. */
export function CreateToggle({ label, open, onToggle }: { label: string; open: boolean; onToggle: () => void }) {
  const auth = useAuth()
  if (!auth.can('catalog.write')) return null
  return (
    <button className="button" type="button" onClick={onToggle} aria-expanded={open}>
      {label}
    </button>
  )
}

/**
 * The create form of a list page (a SKU, a location, a party, a user): runs `create` once at a time,
 * marks what it changed as stale (`invalidate`, so the lists and pickers reload), and hands back; a
 * refusal stays on the form.
 */
export function CreateForm({
  label,
  submitText,
  create,
  invalidate,
  onDone,
  children,
}: {
  label: string
  submitText: string
  create: MutationFunction
  invalidate: () => Promise<unknown>
  onDone: () => void
  children: ReactNode
}) {
  const mutation = useMutation({
    mutationFn: create,
    onSuccess: () => {
      void invalidate()
      onDone()
    },
  })
  const submit = (e: FormEvent) => {
    e.preventDefault()
    if (!mutation.isPending) mutation.mutate(undefined)
  }
  return (
    <form className="card filters" onSubmit={submit} aria-label={label}>
      {children}
      <FormSubmit busy={mutation.isPending}>{submitText}</FormSubmit>
      <ErrorBox error={mutation.error} />
    </form>
  )
}
