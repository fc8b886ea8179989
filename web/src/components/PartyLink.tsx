import { Link } from '../router'

/** A supplier or customer as "Name (CODE)", a link to its page. */
export function PartyLink({ party }: { party: { code: string; name: string } }) {
  return (
    <Link to={`/parties/${encodeURIComponent(party.code)}`}>
      {party.name} ({party.code})
    </Link>
  )
}
