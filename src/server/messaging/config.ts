import type { MessageChannel } from '../../shared/api/contract';
import type { MessageProvider } from './providers/types';
import { twilioSms } from './providers/twilio';
import { whatsappCloud } from './providers/whatsapp';

/**
 * Providers from the environment; a channel whose variables are missing has no provider and its
 * messages fail with `no_provider` (they are never silently dropped). E-mail has no adapter yet.
 */
export function providersFromEnv(env: NodeJS.ProcessEnv = process.env): Partial<Record<MessageChannel, MessageProvider>> {
  const out: Partial<Record<MessageChannel, MessageProvider>> = {};
  if (env.TWILIO_ACCOUNT_SID && env.TWILIO_AUTH_TOKEN && env.TWILIO_FROM) {
    out.sms = twilioSms({
      baseUrl: env.TWILIO_BASE_URL ?? 'https://api.twilio.com',
      accountSid: env.TWILIO_ACCOUNT_SID, authToken: env.TWILIO_AUTH_TOKEN, from: env.TWILIO_FROM,
    });
  }
  if (env.WHATSAPP_TOKEN && env.WHATSAPP_PHONE_NUMBER_ID) {
    out.whatsapp = whatsappCloud({
      baseUrl: env.WHATSAPP_BASE_URL ?? 'https://graph.facebook.com', version: env.WHATSAPP_API_VERSION ?? 'v21.0',
      phoneNumberId: env.WHATSAPP_PHONE_NUMBER_ID, accessToken: env.WHATSAPP_TOKEN,
    });
  }
  return out;
}
