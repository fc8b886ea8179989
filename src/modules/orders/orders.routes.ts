import { z } from 'zod'
import { moduleRoutes } from '../../http/context.js'
import { checkScan, listOrders, orderView, pickList } from './orders.queries.js'
import {
  OrderListQuery,
  OrderNumberParam,
  OrderSummary,
  OrderView,
  PickList,
  PickListQuery,
  ScanCheck,
  ScanCheckRequest,
} from './orders.schemas.js'

/** Sales orders: the list, one order, its pick list (or a wave's) and the scan check of scan-to-fulfil. */
export const orderRoutes = moduleRoutes('orders', (app, { db, routeOf }) => {
  app.get(
    '/orders',
    routeOf('stock.read', 'Sales orders, newest first', {
      querystring: OrderListQuery,
      response: { 200: z.array(OrderSummary) },
    }),
    async (req) => listOrders(db, req.query),
  )
  app.get(
    '/orders/:number',
    routeOf('stock.read', 'One sales order: lines with shipped, open (back-order) and reserved, and its shipments', {
      params: OrderNumberParam,
      response: { 200: OrderView },
    }),
    async (req) => orderView(db, req.params.number),
  )
  app.post(
    '/orders/:number/scan-check',
    routeOf(
      'stock.read',
      'Check one scanned serial against an order (right SKU, still needed, in stock here); writes nothing',
      {
        params: OrderNumberParam,
        body: ScanCheckRequest,
        response: { 200: ScanCheck },
      },
    ),
    async (req) => checkScan(db, req.params.number, req.body),
  )
  app.get(
    '/pick-list',
    routeOf('stock.read', 'Where to pick one order or a wave of orders: units oldest first, never quarantined', {
      querystring: PickListQuery,
      response: { 200: PickList },
    }),
    async (req) =>
      pickList(
        db,
        req.query.orders
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      ),
  )
})
