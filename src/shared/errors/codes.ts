/**
 * The one list of error codes, in one spelling. The server answers with SERVER_ERROR_CODES (an
 * HTTP ApiError's code, or a pushed mutation's rejection); the workstation answers its renderer
 * with WORKSTATION_ERROR_CODES, and relays a server's code as `server.<code>`. The UI text of a
 * code is the i18n key errorKey(code) — es and en both, asserted by src/renderer/i18n/i18n.test.ts.
 *
 * Not listed: the rule ids a rule refuses with (compliance `co.hours.time`, negotiation
 * `plan.installments.over_policy`): the refusal carries the rule's own es/en text.
 */

/** Codes both sides give, for the same shared rule or the same situation (one spelling). */
export const SHARED_ERROR_CODES = [
  'not_found',
  'forbidden',
  'internal',
  'update_required',
  /** src/shared/rules/promises.ts refused the promise (offline on the workstation, again on the server). */
  'promise_policy',
  /** QuoteError: src/shared/domain/collections.ts could not quote the proposal. */
  'negotiation.empty',
  'negotiation.no_policy',
  'negotiation.down_payment',
  'negotiation.schedule',
] as const;

/** Codes only the central server answers with. */
export const SERVER_ERROR_CODES = [
  ...SHARED_ERROR_CODES,
  // requests
  'invalid_request',
  'invalid_args',
  'payload_too_large',
  'unsupported_media_type',
  'mutation_gap',
  // who is asking
  'unauthorized',
  'invalid_credentials',
  'user_disabled',
  'device_wipe',
  'too_many_attempts',
  'client_not_yours',
  // users and teams
  'username_taken',
  'last_admin',
  'user_leads_team',
  'team_name_taken',
  'sip_extension_taken',
  'wrong_password',
  'password_unchanged',
  'cannot_disable_self',
  // collections
  'approval_decided',
  'payment_reference_conflict',
  // field collection (src/server/field)
  'receipt_number_invalid',
  'receipt_currency_mismatch',
  'receipt_device_lost',
  // compliance: an outbound contact logged online that the law forbade when it was made
  'compliance_blocked',
  // account status (src/shared/rules/account-status.ts) and hardship decisions
  'agent_cannot_reopen',
  'lead_only_status',
  'account_held_by_lead',
  'not_in_hardship',
  'account_closed',
  // message templates
  'template_inactive',
  'template_name_taken',
  'strategy_name_taken',
  'template_changed',
  'whatsapp_template_unapproved',
  'whatsapp_template_mismatch',
  // provider webhooks (src/server/messaging/webhooks.ts)
  'webhook_signature_invalid',
  'webhook_not_configured',
  'whatsapp_window_closed',
  // the organisation's payment gateway did not answer (src/server/payments/gateway): try again later
  'payment_gateway_unavailable',
  // debtors' rights (src/server/privacy)
  'accounts_open',
  'retention_not_elapsed',
  'already_erased',
] as const;
export type ServerErrorCode = (typeof SERVER_ERROR_CODES)[number];

/** Codes the workstation itself gives (its transport, its host, its session). */
export const WORKSTATION_ERROR_CODES = [
  ...SHARED_ERROR_CODES,
  'unexpected',
  'validation',
  'network',
  'compliance.blocked',
  'sync.offline',
  'storage.full',
  'receipt.no_numbers',
  'auth.required',
  'auth.invalid_credentials',
  'auth.user_disabled',
  'auth.locked',
  'server.unreachable',
  'server.error',
  'server.bad_response',
  'host.unreachable',
  'host.bad_response',
  'host.no_key',
  'host.forbidden',
  'host.bad_request',
  'host.unknown_method',
] as const;
/** What a WorkstationError carries: its own codes, and the server's relayed as `server.<code>`. */
export type WorkstationErrorCode = (typeof WORKSTATION_ERROR_CODES)[number] | `server.${ServerErrorCode}`;

export const isServerErrorCode = (code: string): code is ServerErrorCode => (SERVER_ERROR_CODES as readonly string[]).includes(code);

/** A server's code as the workstation relays it; a code this build does not know is a server error. */
export function relayed(code: string): WorkstationErrorCode {
  return isServerErrorCode(code) ? `server.${code}` : 'server.error';
}

/** The i18n key of a code's text (renderer, src/renderer/i18n/{es,en}.json). */
export const errorKey = (code: WorkstationErrorCode): string => `errors.${code}`;

/** Every workstation code, relayed server codes included: what the i18n test walks. */
export const ALL_WORKSTATION_ERROR_CODES: readonly WorkstationErrorCode[] = [
  ...WORKSTATION_ERROR_CODES,
  ...SERVER_ERROR_CODES.map((c) => `server.${c}` as const),
];
