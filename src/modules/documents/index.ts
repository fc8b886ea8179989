export * from './document-types.rules.js'
export * from './documents.errors.js'
export { getDocumentView, listDocuments } from './documents.queries.js'
export {
  anyUnclosedDocumentRead,
  createDocument,
  findDocumentByNumber,
  getDocument,
  hasUnclosedDocument,
  startDocument,
  unclosedDocuments,
  type NewDocument,
} from './documents.repository.js'
export * from './documents.schemas.js'
export * from './documents.routes.js'
