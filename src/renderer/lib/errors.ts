import type { TFunction } from 'i18next';

/** What the UI needs from a failure: a code to translate, the server's message as fallback, the field. */
export interface UiError {
  code: string;
  message: string;
  field?: string;
}

/**
 * The transport rethrows failures as WorkstationError (code, message, field); anything else
 * (a bug, a dropped connection in the transport itself) is shown as an unexpected error.
 */
export function toUiError(err: unknown): UiError {
  if (err && typeof err === 'object' && 'code' in err && typeof (err as { code: unknown }).code === 'string') {
    const e = err as { code: string; message?: unknown; field?: unknown };
    return {
      code: e.code,
      message: typeof e.message === 'string' ? e.message : e.code,
      ...(typeof e.field === 'string' ? { field: e.field } : {}),
    };
  }
  if (err instanceof Error) return { code: 'unexpected', message: err.message };
  return { code: 'unexpected', message: String(err) };
}

/** Translated text for an error code; unknown codes fall back to a generic sentence plus the message. */
export function errorText(t: TFunction, err: UiError): string {
  const key = `errors.${err.code}`;
  const generic = t('errors.unexpected', { message: err.message });
  const text = t(key, { defaultValue: generic, message: err.message, field: err.field ?? '' });
  return text;
}

/**
 * Why the server refused a pushed change. Its codes are the server's (errors.server.*, e.g.
 * whatsapp_template_unapproved) unless the app has a key of its own (errors.not_found); an
 * unknown code shows the server's message.
 */
export function rejectionText(t: TFunction, r: { code: string; message: string }): string {
  return t([`errors.${r.code}`, `errors.server.${r.code}`], { defaultValue: r.message, message: r.message });
}
