/** A container (case, pallet): a projection of the `packed` and `unpacked` events. */
export interface ContainerTable {
  code: string
  /** `sscc` (an SSCC-18, check digit verified) or `own` (our own code). */
  kind: string
  /** The container it is nested in, or null. */
  parent_code: string | null
  created_seq: number
  last_event_seq: number
}

export interface ContainerTables {
  container: ContainerTable
}
