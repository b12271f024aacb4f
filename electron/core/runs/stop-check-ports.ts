import type { GuardantClient } from '../api/guardant-client';
import type { StopCheckPorts } from './run-stops';

/** What resuming a paused run asks the server, through the station's client. */
export function stopCheckPorts(
  client: Pick<GuardantClient, 'getOrder' | 'vendorBalance'>,
  now: () => number,
): StopCheckPorts {
  return {
    order: async (orderId) => {
      const order = await client.getOrder(orderId);
      return {
        status: order.status,
        quantity: order.quantity,
        keysInOrder: order.donglescount ?? order.dongles?.length ?? 0,
      };
    },
    balance: async () => {
      const balance = await client.vendorBalance();
      return (
        balance && { activations: balance.activations, subscriptionUntilMs: balance.subscriptionuntil * 1000 }
      );
    },
    now,
  };
}
