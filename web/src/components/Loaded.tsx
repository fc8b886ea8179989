/* A detail page until its data is in: Loading, or the error under the page's title. */
import type { UseQueryResult } from '@tanstack/react-query'
import type { ReactNode } from 'react'
import { ErrorBox, Loading, PageTitle } from './ui'

export function Loaded<T>({
  title,
  query,
  loading,
  children,
}: {
  title: ReactNode
  query: { data?: T; error: unknown }
  loading?: string
  children: (data: T) => ReactNode
}) {
  if (query.error)
    return (
      <section className="page">
        <PageTitle>{title}</PageTitle>
        <ErrorBox error={query.error} />
      </section>
    )
  if (query.data === undefined)
    return (
      <section className="page">
        <Loading what={loading} />
      </section>
    )
  return children(query.data)
}

/** `combine` for useQueries: every query's data once all are in, or the first error. */
export function allData<const Q extends readonly UseQueryResult[]>(
  results: Q,
): { data?: { [K in keyof Q]: NonNullable<Q[K]['data']> }; error: unknown } {
  const error = results.find((r) => r.error)?.error
  if (results.some((r) => r.data === undefined)) return { error }
  return { data: results.map((r) => r.data) as { [K in keyof Q]: NonNullable<Q[K]['data']> }, error }
}
