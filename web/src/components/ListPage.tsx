/*
 * The page every list shares (SKUs, locations, parties, documents, users): a title, a create form (behind
 * a toggle shown to catalog writers, or always open), the filter bar, and the table with its loading,
 * empty and error states. Filters live in the URL query, so a filtered list can be linked to.
 */
import { type MutationFunction, useMutation } from '@tanstack/react-query'
import { type FormEvent, type ReactNode, useState } from 'react'
import { useAuth } from '../auth'
import { setQuery, useLocation } from '../router'
import { DataTable, type DataTableProps, ErrorBox, Loading, PageTitle, SearchForm } from './ui'

export interface ListPageProps<R> {
  title: string
  /** The create form; `done` closes it after a create. */
  create?: { label: string; form: (done: () => void) => ReactNode; isAlwaysOpen?: boolean }
  /** The fields of the filter bar and what Search does. */
  filters?: { fields: ReactNode; onSearch: () => void }
  list: { data?: readonly R[]; error: unknown; isPending: boolean }
  table: Omit<DataTableProps<R>, 'rows'>
  /** Shown above the table (a refused row action). */
  children?: ReactNode
}

export function ListPage<R>({ title, create, filters, list, table, children }: ListPageProps<R>) {
  const [isCreating, setCreating] = useState(false)
  const toggle = create && !create.isAlwaysOpen && (
    <CreateToggle label={create.label} open={isCreating} onToggle={() => setCreating((c) => !c)} />
  )
  return (
    <section className="page">
      <PageTitle actions={toggle}>{title}</PageTitle>
      {create && (create.isAlwaysOpen || isCreating) && create.form(() => setCreating(false))}
      {filters && <SearchForm onSearch={filters.onSearch}>{filters.fields}</SearchForm>}
      {children}
      <ErrorBox error={list.error} />
      {list.isPending && <Loading />}
      {list.data && <DataTable {...table} rows={list.data} />}
    </section>
  )
}

/**
 * A list page's filters: those applied (the URL query), the draft being typed, `field(name)` to bind an
 * input to the draft, and `apply` to put the draft into the URL.
 */
export function useFilters<K extends string>(names: readonly K[]) {
  const loc = useLocation()
  const applied = Object.fromEntries(names.map((n) => [n, loc.query.get(n) ?? ''])) as Record<K, string>
  const [draft, setDraft] = useState(applied)
  const field = (name: K) => ({ value: draft[name], onChange: (v: string) => setDraft((d) => ({ ...d, [name]: v })) })
  return { applied, field, apply: () => setQuery(draft) }
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
