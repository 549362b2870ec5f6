import { z } from 'zod';

/**
 * The one list of the ways the organisation reaches a debtor, and what each channel is. Every zod
 * enum, renderer list and SQL filter derives from here; the SQL CHECK constraints stay in the
 * migrations and tests/unit/extension-points/channels.test.ts asserts they list the same names.
 * To add a channel follow docs/extending.md.
 */
export const CHANNELS = ['call', 'sms', 'email', 'whatsapp', 'visit', 'letter', 'self_service'] as const;
export const Channel = z.enum(CHANNELS);
export type Channel = z.infer<typeof Channel>;

/** The kinds of contact point a debtor has (the portfolio file's columns). */
export const CONTACT_KINDS = ['phone', 'email', 'whatsapp', 'address'] as const;
export const ContactKind = z.enum(CONTACT_KINDS);
export type ContactKind = z.infer<typeof ContactKind>;

/** Channels the workstation sends from an organisation template through a provider. */
export const MESSAGE_CHANNELS = ['sms', 'whatsapp', 'email'] as const satisfies readonly Channel[];
export const MessageChannel = z.enum(MESSAGE_CHANNELS);
export type MessageChannel = z.infer<typeof MessageChannel>;

export interface ChannelFacts {
  /** Which kinds of contact point the channel can use (the rules refuse others: hard.contact_point.kind). */
  kinds: readonly ContactKind[];
  /** The sender controls the moment of contact, so hour rules apply (a letter's moment is the post's). */
  timed: boolean;
  /** A written communication, for the laws that cap written messages (CL). */
  written: boolean;
}

/** What each channel is; a new channel cannot typecheck without its row. */
export const CHANNEL_FACTS: Record<Channel, ChannelFacts> = {
  call: { kinds: ['phone', 'whatsapp'], timed: true, written: false },
  sms: { kinds: ['phone'], timed: true, written: true },
  email: { kinds: ['email'], timed: true, written: true },
  whatsapp: { kinds: ['whatsapp', 'phone'], timed: true, written: true },
  visit: { kinds: ['address'], timed: true, written: false },
  letter: { kinds: ['address'], timed: false, written: true },
  // autogestión: the debtor acting alone on the self-service page (docs/self-service.md). Nobody
  // contacts anyone through it, so it uses no contact point and no hour or written-message rule.
  self_service: { kinds: [], timed: false, written: false },
};

/** Channels an agent contacts a debtor through (self-service is the debtor's own doing, logged by the server). */
export const AGENT_CHANNELS: readonly Channel[] = CHANNELS.filter((c) => CHANNEL_FACTS[c].kinds.length > 0);

export const isMessageChannel = (c: string): c is MessageChannel => (MESSAGE_CHANNELS as readonly string[]).includes(c);

/** A constant list as an SQL `IN (…)` list. Only for these compile-time names, never for user input. */
export const sqlList = (names: readonly string[]): string => names.map((n) => `'${n.replace(/'/g, "''")}'`).join(', ');
