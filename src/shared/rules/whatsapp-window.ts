/**
 * WhatsApp's customer-service window: for 24 hours after the debtor's last message the business
 * may answer with free text; outside it Meta accepts only an approved template (error 131047).
 * The server enforces it with the replies it received; the workstation shows it from the synced
 * replies (the same rule, so the agent is told before the server refuses).
 */
export const WHATSAPP_WINDOW_MS = 24 * 3600_000;

/** Until when free text may go, given the debtor's last WhatsApp message (ISO or Date); null = closed. */
export function whatsappWindowUntil(lastReplyAt: string | Date | null | undefined, now: Date): Date | null {
  if (!lastReplyAt) return null;
  const last = typeof lastReplyAt === 'string' ? Date.parse(lastReplyAt) : lastReplyAt.getTime();
  if (Number.isNaN(last)) return null;
  const until = last + WHATSAPP_WINDOW_MS;
  return until > now.getTime() ? new Date(until) : null;
}

/** The newest inbound WhatsApp message among activities (an account's synced history). */
export function lastWhatsappReply(activities: ReadonlyArray<{ channel: string; direction: string; startedAt: string }>): string | null {
  let last: string | null = null;
  for (const a of activities)
    if (a.channel === 'whatsapp' && a.direction === 'inbound' && (!last || a.startedAt > last)) last = a.startedAt;
  return last;
}
