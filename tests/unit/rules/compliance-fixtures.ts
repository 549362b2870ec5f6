import type { Channel, ContactKind, AccountStatus } from '../../../src/shared/domain/enums';
import type { ContactWindow } from '../../../src/shared/domain/entities';
import type { ComplianceInput, ContactAttempt } from '../../../src/shared/rules/compliance';
import type { ComplianceOverrideInput, Party } from '../../../src/shared/rules/compliance';

export const ZONE: Record<string, string> = {
  CO: 'America/Bogota',
  MX: 'America/Mexico_City',
  PE: 'America/Lima',
  CL: 'America/Santiago',
  US: 'America/New_York',
  AR: 'America/Argentina/Buenos_Aires',
};
export const PHONE: Record<string, string> = {
  CO: '+573001234567',
  MX: '+525512345678',
  PE: '+51912345678',
  CL: '+56912345678',
  US: '+12125550123',
  AR: '+5491123456789',
};

export interface Case {
  name: string;
  /** The rule the case exercises. */
  rule: string;
  country: string;
  at: string;
  channel?: Channel;
  /** Debtor's zone; '' = unknown. Defaults to the country's capital zone. */
  zone?: string;
  phone?: string | null;
  cpKind?: ContactKind;
  cpInvalid?: boolean;
  cpDnc?: boolean;
  authorized?: Channel[];
  windows?: ContactWindow[];
  status?: AccountStatus;
  history?: Array<Partial<ContactAttempt> & { at: string }>;
  org?: ComplianceInput['org'] & { overrides?: ComplianceOverrideInput };
  party?: Party;
  allowed: boolean;
  reasons: string[];
  /** Expected nextAllowedAt (any ISO offset), or null. */
  next: string | null;
}

export const ALL_CHANNELS: Channel[] = ['call', 'sms', 'email', 'whatsapp', 'visit', 'letter'];

export function inputOf(c: Case): ComplianceInput {
  const channel = c.channel ?? 'call';
  const kind: ContactKind = c.cpKind ?? (channel === 'email' ? 'email' : channel === 'visit' || channel === 'letter' ? 'address' : 'phone');
  const value =
    kind === 'email' ? 'deudor@example.com' : kind === 'address' ? 'Calle 1 # 2-3' : (c.phone ?? PHONE[c.country] ?? '+573001234567');
  return {
    channel,
    contactPoint: c.phone === null ? null : { kind, value, invalid: c.cpInvalid ?? false, doNotContact: c.cpDnc ?? false },
    debtor: {
      id: 'debtor-1',
      country: c.country,
      timeZone: c.zone ?? ZONE[c.country] ?? 'UTC',
      contactPrefs: {
        authorizedChannels: c.authorized ?? ALL_CHANNELS,
        preferredChannel: null,
        windows: c.windows ?? [],
        preferredPaymentDay: null,
      },
    },
    account: { id: 'acct-1', status: c.status ?? 'active' },
    history: (c.history ?? []).map((h) => ({
      accountId: h.accountId ?? 'acct-1',
      debtorId: 'debtor-1',
      channel: h.channel ?? 'call',
      conversation: h.conversation ?? false,
      at: h.at,
      ...(h.direction ? { direction: h.direction } : {}),
    })),
    ...(c.org ? { org: c.org } : {}),
    ...(c.party ? { party: c.party } : {}),
    at: new Date(c.at),
  };
}

/** n calls, one a day, at 10:00 local of the given offset, starting on `firstDate`. */
export function dailyCalls(firstDate: string, n: number, offset: string, extra: Partial<ContactAttempt> = {}) {
  const [y, m, d] = firstDate.split('-').map(Number) as [number, number, number];
  return Array.from({ length: n }, (_, i) => {
    const date = new Date(Date.UTC(y, m - 1, d + i)).toISOString().slice(0, 10);
    return { at: `${date}T10:00:00${offset}`, channel: 'call' as Channel, ...extra };
  });
}
