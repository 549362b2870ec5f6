import { z } from 'zod';

/** How an agent's softphone reaches the PBX: settings (kept on the workstation) and credentials. */

export const DialPlan = z.object({
  /** Prepended to every dialled number (e.g. a trunk prefix "9"). */
  prefix: z
    .string()
    .regex(/^[0-9*#+]*$/)
    .default(''),
  /** Dial E.164 with '+' (true) or with the international access code (false). */
  keepPlus: z.boolean().default(true),
  /** Country whose numbers are dialled nationally (no country code), e.g. "CO". */
  localCountry: z
    .string()
    .regex(/^[A-Z]{2}$/)
    .nullable()
    .default(null),
});
export type DialPlan = z.infer<typeof DialPlan>;

export const SipSettings = z.object({
  wsUrl: z.string().regex(/^wss?:\/\//, 'WebSocket URL (ws:// or wss://)'),
  /** SIP domain of the registrar, e.g. pbx.example.com */
  domain: z.string().min(1),
  extension: z.string().min(1),
  displayName: z.string().default(''),
  dialPlan: DialPlan.default({ prefix: '', keepPlus: true, localCountry: null }),
  iceServers: z.array(z.object({ urls: z.union([z.string(), z.array(z.string())]) })).default([]),
  supervisorExtension: z.string().nullable().default(null),
});
export type SipSettings = z.infer<typeof SipSettings>;

export const SipCredentials = SipSettings.extend({ password: z.string() });
export type SipCredentials = z.infer<typeof SipCredentials>;
