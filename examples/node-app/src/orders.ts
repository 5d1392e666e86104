/** The shop's order lookup: what the assistant's `get_order_status` tool runs. */
export interface OrderStatus {
  order_id: string;
  status: 'processing' | 'shipped' | 'delivered';
  carrier?: string;
  estimated_delivery?: string;
}

const ORDERS: Record<string, OrderStatus> = {
  A1001: { order_id: 'A1001', status: 'delivered', carrier: 'DHL', estimated_delivery: '2026-11-28' },
  A1002: { order_id: 'A1002', status: 'shipped', carrier: 'UPS', estimated_delivery: '2026-12-09' },
  A1003: { order_id: 'A1003', status: 'processing' },
};

export function getOrderStatus(orderId: string): OrderStatus | { order_id: string; error: string } {
  return ORDERS[orderId.trim().toUpperCase()] ?? { order_id: orderId, error: 'no order with this ID' };
}
