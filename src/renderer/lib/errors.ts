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

/**
 * A field as the main side or the server names it (`installments.0.amountMinor`,
 * `installments[2].dueDate`, `proposal.discounts.principalPct`) in the agent's words ("pago 1 ›
 * monto", "descuento de capital"); a name the app has no word for becomes "un dato", never itself.
 */
export function fieldLabel(t: TFunction, field: string | undefined): string {
  if (!field) return '';
  const segs = field.split(/[.[\]]+/).filter(Boolean);
  const known = (s: string) => t(`fields.${s}`, { count: 2, defaultValue: '' }) !== '';
  // the wrapping objects add nothing the agent needs ("proposal.", "promise.", "input.")
  const words = segs.filter((s) => !['proposal', 'promise', 'input', 'args'].includes(s) || segs.length === 1);
  const parts: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const s = words[i]!;
    if (/^\d+$/.test(s)) continue;
    if (!known(s)) return t('fields.unknown');
    const index = words[i + 1];
    parts.push(
      index !== undefined && /^\d+$/.test(index)
        ? `${t(`fields.${s}`, { count: 1 })} ${Number(index) + 1}`
        : t(`fields.${s}`, { count: 2 }),
    );
  }
  return parts.length ? parts.join(' › ') : t('fields.unknown');
}

/** Translated text for an error code; unknown codes fall back to a generic sentence plus the message. */
export function errorText(t: TFunction, err: UiError): string {
  const key = `errors.${err.code}`;
  const field = fieldLabel(t, err.field);
  // a bare identifier ("principalPct", a schema's own name for the field) says nothing more than the field
  const bare = /^[\w.[\]]+$/.test(err.message.trim()) && !/\s/.test(err.message.trim());
  if (bare && (err.code === 'validation' || err.code === 'server.validation' || err.code === 'server.invalid_request')) {
    return t('fields.invalid', { field: field || t('fields.unknown') });
  }
  const generic = t('errors.unexpected', { message: err.message });
  return t(key, { defaultValue: generic, message: err.message, field });
}

/**
 * Why the server refused a pushed change. Its codes are the server's (errors.server.*, e.g.
 * whatsapp_template_unapproved) unless the app has a key of its own (errors.not_found); an
 * unknown code shows the server's message.
 */
export function rejectionText(t: TFunction, r: { code: string; message: string }): string {
  return t([`errors.${r.code}`, `errors.server.${r.code}`], { defaultValue: r.message, message: r.message });
}
