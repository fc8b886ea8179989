export * from './parties.errors.js'
export { createParty, getPartyByCode, listParties, partyByCodeRead, updateParty } from './parties.repository.js'
export * from './parties.schemas.js'
export * from './parties.routes.js'
