/** The message types a webhook endpoint may subscribe to (all of them when it names none). */
export const WEBHOOK_MESSAGE_TYPES = [
  'event.accepted',
  'batch.anchored',
  'order.received',
  'order.change_requested',
  'anchoring.stalled',
  'order.flagged',
] as const;

export type WebhookMessageType = (typeof WEBHOOK_MESSAGE_TYPES)[number];

export function isWebhookMessageType(x: unknown): x is WebhookMessageType {
  return typeof x === 'string' && (WEBHOOK_MESSAGE_TYPES as readonly string[]).includes(x);
}
