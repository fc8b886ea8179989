/*
 * The page every list shares (SKUs, locations, parties, documents, users): a title, a create form (behind
 * a toggle shown to catalog writers, or always open), the filter bar, and the table with its loading,
 * empty and error states. Filters live in the URL query, so a filtered list can be linked to.
 */
import { type MutationFunction, useMutation, useQuery, type UseQueryOptions } from '@tanstack/react-query'
import { type FormEvent, type ReactNode, useState } from 'react'
import { useAuth } from '../auth'
import { setQuery, useLocation } from '../router'
import { DataTable, type DataTableProps, ErrorBox, Field, Loading, PageTitle, SearchForm, Select } from './ui'

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
  /** The list's query for the filters in force (its key is the query's own business, hence `any`). */
  query: (applied: Applied) => UseQueryOptions<R[], Error, R[], any>
  table: Omit<DataTableProps<R>, 'rows'>
  /** Shown above the table (a refused row action). */
  children?: ReactNode
}

export function ListPage<R>({ title, create, filters = [], query, table, children }: ListPageProps<R>) {
  const loc = useLocation()
  const applied: Applied = Object.fromEntries(filters.map((f) => [f.name, loc.query.get(f.name) || undefined]))
  const [draft, setDraft] = useState(() => Object.fromEntries(filters.map((f) => [f.name, applied[f.name] ?? ''])))
  const list = useQuery(query(applied))
  const [isCreating, setCreating] = useState(false)
  const toggle = create && !create.isAlwaysOpen && (
    <CreateToggle label={create.label} open={isCreating} onToggle={() => setCreating((c) => !c)} />
  )
  return (
    <section className="page">
      <PageTitle actions={toggle}>{title}</PageTitle>
      {create && (create.isAlwaysOpen || isCreating) && create.form(() => setCreating(false))}
      {filters.length > 0 && (
        <SearchForm onSearch={() => setQuery(draft)}>
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
      {list.data && <DataTable {...table} rows={list.data} />}
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
      <div className="filter-actions">
        <button className="button primary" type="submit" disabled={mutation.isPending}>
          {submitText}
        </button>
      </div>
      <ErrorBox error={mutation.error} />
    </form>
  )
}
