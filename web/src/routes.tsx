/*
 * The route table: each page's path, the permission it needs and, for the pages the side navigation
 * lists, its group and label. The router and the navigation are both derived from it, so a page and
 * its menu entry cannot disagree on path or permission.
 */
import type { ReactNode } from 'react'
import type { Permission } from './auth'
import { match } from './router'
import { AuditPage } from './pages/Audit'
import { ContainersPage } from './pages/Containers'
import { Dashboard } from './pages/Dashboard'
import { CountPage, CountReviewPage, CountsPage } from './pages/Counts'
import { DocumentPage, DocumentsPage } from './pages/Documents'
import { AdvisorPage, AgeingPage, MarkdownsPage } from './pages/Lifecycle'
import { LocationPage, LocationsPage } from './pages/Locations'
import { PasswordPage } from './pages/Login'
import { LookupPage } from './pages/LookupPage'
import {
  FoundPage,
  LostPage,
  MovePage,
  RestockPage,
  ReturnPage,
  ScrapPage,
  SellPage,
  TransferReceivePage,
  TransferShipPage,
  ReleasePage,
} from './pages/Operations'
import { FulfilPage, NewOrderPage, OrderPage, OrdersPage, PickListPage } from './pages/Orders'
import { PartiesPage, PartyPage } from './pages/Parties'
import { ProofsPage } from './pages/Proofs'
import { DefectCodesPage, DefectsPage, InspectPage, RecallPage, RecallsPage, RecallWizardPage } from './pages/Quality'
import { ClaimPage, ClaimsPage, NewClaimPage } from './pages/Claims'
import { ReceivePage } from './pages/Receive'
import { ExceptionsPage, ShrinkagePage } from './pages/Shrinkage'
import { SkuPage, SkusPage } from './pages/Skus'
import { StockPage } from './pages/Stock'
import { UnitPage } from './pages/UnitPage'
import { UnitsList } from './pages/UnitsList'
import { UsersPage } from './pages/Users'
import { WebhooksPage } from './pages/Webhooks'
import { ReturnFraudPage, ReturnWizardPage } from './pages/ReturnWizard'
import { WarrantyPage } from './pages/Warranty'

export const NAV_GROUPS = ['Overview', 'Operations', 'Counts', 'Quality', 'Catalog', 'Admin'] as const

export interface Route {
  path: string
  /** Permission needed to see the page and its menu entry; none: every signed-in user. */
  needs?: Permission
  render: (params: Record<string, string>) => ReactNode
  /** The page's entry in the side navigation (in table order within its group). */
  menu?: { group: (typeof NAV_GROUPS)[number]; label: string }
}

const read = 'stock.read' as const
const operate = 'stock.operate' as const
const adjust = 'stock.adjust' as const

export const ROUTES: Route[] = [
  { path: '/', needs: read, render: () => <Dashboard />, menu: { group: 'Overview', label: 'Dashboard' } },
  { path: '/stock', needs: read, render: () => <StockPage />, menu: { group: 'Overview', label: 'Stock' } },
  { path: '/units', needs: read, render: () => <UnitsList />, menu: { group: 'Overview', label: 'Units' } },
  { path: '/units/:id', needs: read, render: (p) => <UnitPage id={p.id!} /> },
  { path: '/lookup', needs: read, render: () => <LookupPage /> },
  { path: '/documents', needs: read, render: () => <DocumentsPage />, menu: { group: 'Overview', label: 'Documents' } },
  {
    path: '/documents/:type/:number',
    needs: read,
    render: (p) => <DocumentPage type={p.type!} number={p.number!} />,
  },
  { path: '/orders', needs: read, render: () => <OrdersPage />, menu: { group: 'Operations', label: 'Orders' } },
  { path: '/orders/new', needs: operate, render: () => <NewOrderPage /> },
  { path: '/orders/:number', needs: read, render: (p) => <OrderPage number={p.number!} /> },
  { path: '/orders/:number/fulfil', needs: operate, render: (p) => <FulfilPage number={p.number!} /> },
  { path: '/pick-list', needs: read, render: () => <PickListPage /> },
  { path: '/receive', needs: operate, render: () => <ReceivePage />, menu: { group: 'Operations', label: 'Receive' } },
  { path: '/move', needs: operate, render: () => <MovePage />, menu: { group: 'Operations', label: 'Move' } },
  {
    path: '/containers',
    needs: operate,
    render: () => <ContainersPage />,
    menu: { group: 'Operations', label: 'Containers' },
  },
  {
    path: '/transfer',
    needs: operate,
    render: () => <TransferShipPage />,
    menu: { group: 'Operations', label: 'Ship transfer' },
  },
  {
    path: '/transfer/receive',
    needs: operate,
    render: () => <TransferReceivePage />,
    menu: { group: 'Operations', label: 'Receive transfer' },
  },
  { path: '/sell', needs: operate, render: () => <SellPage />, menu: { group: 'Operations', label: 'Sell' } },
  {
    path: '/return',
    needs: operate,
    render: () => <ReturnPage />,
    menu: { group: 'Operations', label: 'Customer return' },
  },
  {
    path: '/returns/verify',
    needs: operate,
    render: () => <ReturnWizardPage />,
    menu: { group: 'Operations', label: 'Verified return' },
  },
  { path: '/warranty', needs: read, render: () => <WarrantyPage />, menu: { group: 'Operations', label: 'Warranty' } },
  {
    path: '/returns/fraud',
    needs: read,
    render: () => <ReturnFraudPage />,
    menu: { group: 'Counts', label: 'Return fraud' },
  },
  { path: '/restock', needs: operate, render: () => <RestockPage />, menu: { group: 'Operations', label: 'Restock' } },
  { path: '/found', needs: adjust, render: () => <FoundPage />, menu: { group: 'Operations', label: 'Stock found' } },
  { path: '/lost', needs: adjust, render: () => <LostPage />, menu: { group: 'Operations', label: 'Stock lost' } },
  { path: '/scrap', needs: adjust, render: () => <ScrapPage />, menu: { group: 'Operations', label: 'Scrap' } },
  { path: '/counts', needs: operate, render: () => <CountsPage />, menu: { group: 'Counts', label: 'Cycle counts' } },
  { path: '/counts/:number', needs: operate, render: (p) => <CountPage number={p.number!} /> },
  { path: '/counts/:number/review', needs: read, render: (p) => <CountReviewPage number={p.number!} /> },
  { path: '/shrinkage', needs: read, render: () => <ShrinkagePage />, menu: { group: 'Counts', label: 'Shrinkage' } },
  {
    path: '/exceptions',
    needs: read,
    render: () => <ExceptionsPage />,
    menu: { group: 'Counts', label: 'Exceptions' },
  },
  { path: '/inspect', needs: operate, render: () => <InspectPage />, menu: { group: 'Quality', label: 'Inspect' } },
  { path: '/recalls', needs: read, render: () => <RecallsPage />, menu: { group: 'Quality', label: 'Recalls' } },
  { path: '/recalls/new', needs: adjust, render: () => <RecallWizardPage /> },
  { path: '/recalls/:number', needs: read, render: (p) => <RecallPage number={p.number!} /> },
  {
    path: '/defects',
    needs: read,
    render: () => <DefectsPage />,
    menu: { group: 'Quality', label: 'Defect analysis' },
  },
  {
    path: '/defect-codes',
    needs: read,
    render: () => <DefectCodesPage />,
    menu: { group: 'Quality', label: 'Defect codes' },
  },
  { path: '/claims/new', needs: adjust, render: () => <NewClaimPage /> },
  { path: '/claims/:number', needs: read, render: (p) => <ClaimPage number={p.number!} /> },
  {
    path: '/claims',
    needs: read,
    render: () => <ClaimsPage />,
    menu: { group: 'Quality', label: 'Supplier claims' },
  },
  {
    path: '/release',
    needs: adjust,
    render: () => <ReleasePage />,
    menu: { group: 'Quality', label: 'Release quarantine' },
  },
  { path: '/skus', needs: read, render: () => <SkusPage />, menu: { group: 'Catalog', label: 'SKUs' } },
  { path: '/skus/:code', needs: read, render: (p) => <SkuPage code={p.code!} /> },
  { path: '/locations', needs: read, render: () => <LocationsPage />, menu: { group: 'Catalog', label: 'Locations' } },
  { path: '/locations/:code', needs: read, render: (p) => <LocationPage code={p.code!} /> },
  { path: '/parties', needs: read, render: () => <PartiesPage />, menu: { group: 'Catalog', label: 'Parties' } },
  { path: '/parties/:code', needs: read, render: (p) => <PartyPage code={p.code!} /> },
  { path: '/ageing', needs: read, render: () => <AgeingPage />, menu: { group: 'Catalog', label: 'Ageing' } },
  { path: '/markdowns', needs: read, render: () => <MarkdownsPage />, menu: { group: 'Catalog', label: 'Markdowns' } },
  {
    path: '/advisor',
    needs: read,
    render: () => <AdvisorPage />,
    menu: { group: 'Catalog', label: 'Serialization advisor' },
  },
  { path: '/users', needs: 'users.manage', render: () => <UsersPage />, menu: { group: 'Admin', label: 'Users' } },
  {
    path: '/audit',
    needs: 'ledger.audit',
    render: () => <AuditPage />,
    menu: { group: 'Admin', label: 'Ledger check' },
  },
  {
    path: '/proofs',
    needs: 'ledger.audit',
    render: () => <ProofsPage />,
    menu: { group: 'Admin', label: 'Ledger proofs' },
  },
  {
    path: '/webhooks',
    needs: 'webhooks.manage',
    render: () => <WebhooksPage />,
    menu: { group: 'Admin', label: 'Webhooks' },
  },
  { path: '/password', render: () => <PasswordPage /> },
]

/** The side navigation: the menu entries of the table, by group. */
export const NAV = NAV_GROUPS.map((group) => ({
  group,
  items: ROUTES.filter((r) => r.menu?.group === group).map((r) => ({
    to: r.path,
    label: r.menu!.label,
    needs: r.needs,
  })),
}))

/** The route a path opens, with its params; undefined for an unknown path. */
export function routeOf(path: string): { route: Route; params: Record<string, string> } | undefined {
  for (const route of ROUTES) {
    const params = match(route.path, path)
    if (params) return { route, params }
  }
  return undefined
}
