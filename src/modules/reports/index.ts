export { dashboard, weekStartOf } from './dashboard.queries.js'
export * from './dashboard.schemas.js'
export * from './reports.routes.js'
