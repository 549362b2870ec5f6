import { ImapFlow } from 'imapflow';
import { simpleParser, type AddressObject } from 'mailparser';
import type { Db } from '../db';
import { recordInbound, type InboundOutcome } from './inbound';
import { orgMailboxes } from './org-config';

export interface MailboxConfig {
  host: string;
  port: number;
  /** TLS from the first byte (993); otherwise STARTTLS when the server offers it. */
  secure: boolean;
  user: string;
  pass: string;
  /** Default INBOX. */
  mailbox?: string;
  /** The organisation whose replies this mailbox receives (its EMAIL_REPLY_TO). */
  orgId: string;
}

/**
 * Reads the replies waiting in the organisation's reply mailbox over IMAP (imapflow): every unseen
 * message is recorded (matched by its thread — In-Reply-To / References name our Message-ID — or by
 * the sender's address), then flagged \Seen. Recording is idempotent by Message-ID, so a message
 * read again after a crash between the two is still one reply (at least once, never twice).
 */
export async function pollMailbox(db: Db, cfg: MailboxConfig): Promise<InboundOutcome[]> {
  const client = new ImapFlow({
    host: cfg.host,
    port: cfg.port,
    secure: cfg.secure,
    auth: { user: cfg.user, pass: cfg.pass },
    logger: false,
  });
  await client.connect();
  const out: InboundOutcome[] = [];
  try {
    const lock = await client.getMailboxLock(cfg.mailbox ?? 'INBOX');
    try {
      const uidValidity = client.mailbox ? String(client.mailbox.uidValidity) : '0';
      const fetched: Array<{ uid: number; source: Buffer }> = [];
      for await (const m of client.fetch({ seen: false }, { uid: true, source: true }, { uid: true })) {
        if (m.source) fetched.push({ uid: m.uid, source: m.source });
      }
      for (const m of fetched) {
        const mail = await simpleParser(m.source);
        const from = firstAddress(mail.from);
        if (!from || isAutoReply(mail.headers)) {
          // no sender, or a vacation notice / bounce: nothing a person wrote back
          await client.messageFlagsAdd({ uid: String(m.uid) }, ['\\Seen'], { uid: true });
          continue;
        }
        const refs = [
          mail.inReplyTo ?? '',
          ...(Array.isArray(mail.references) ? mail.references : mail.references ? [mail.references] : []),
        ];
        out.push(
          await recordInbound(db, {
            orgId: cfg.orgId,
            channel: 'email',
            providerMessageId: mail.messageId ?? `imap:${cfg.user}:${uidValidity}:${m.uid}`,
            from,
            to: firstAddress(mail.to),
            subject: mail.subject ?? null,
            body: ownText(mail.text ?? ''),
            references: refs.filter(Boolean),
            receivedAt: mail.date ?? new Date(),
          }),
        );
        await client.messageFlagsAdd({ uid: String(m.uid) }, ['\\Seen'], { uid: true });
      }
    } finally {
      lock.release();
    }
  } finally {
    await client.logout().catch(() => client.close());
  }
  return out;
}

function firstAddress(a: AddressObject | AddressObject[] | undefined): string | null {
  const list = Array.isArray(a) ? a : a ? [a] : [];
  for (const o of list) for (const v of o.value) if (v.address) return v.address.toLowerCase();
  return null;
}

/** RFC 3834 Auto-Submitted and the common vacation / bulk markers. */
function isAutoReply(h: Map<string, unknown>): boolean {
  const auto = String(h.get('auto-submitted') ?? 'no').toLowerCase();
  const precedence = String(h.get('precedence') ?? '').toLowerCase();
  return auto !== 'no' || precedence === 'bulk' || precedence === 'auto_reply' || h.has('x-autoreply');
}

/** The debtor's own words: what comes before the quoted original ("El … escribió:", "On … wrote:", "> …"). */
export function ownText(text: string): string {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const cut = lines.findIndex(
    (l) => /^>/.test(l) || /^(El|On) .*(escribió|wrote):\s*$/.test(l.trim()) || /^-----+ ?(Original|Mensaje)/i.test(l),
  );
  return (cut === -1 ? lines : lines.slice(0, cut)).join('\n').trim() || text.trim();
}

/** The organisations' own reply mailboxes (set on the provider settings screen), as poll configurations. */
export async function configuredMailboxes(db: Db): Promise<MailboxConfig[]> {
  return (await orgMailboxes(db)).map((c) => ({
    orgId: c.orgId,
    host: c.imapHost!,
    port: c.imapPort ?? (c.imapSecure ? 993 : 143),
    secure: c.imapSecure,
    user: c.imapUser!,
    pass: c.imapPassword!,
    mailbox: c.imapMailbox,
  }));
}

/**
 * One round: every organisation's own mailbox, and the server-wide one of the environment
 * (IMAP_*, for its organisation unless that organisation set its own). One mailbox failing does
 * not keep the others from being read.
 */
export async function pollAllMailboxes(
  db: Db,
  fromEnv: MailboxConfig | null,
  onError: (e: unknown, orgId: string) => void,
): Promise<number> {
  const own = await configuredMailboxes(db);
  const all = fromEnv && !own.some((m) => m.orgId === fromEnv.orgId) ? [...own, fromEnv] : own;
  let replies = 0;
  for (const m of all) {
    try {
      replies += (await pollMailbox(db, m)).length;
    } catch (e) {
      onError(e, m.orgId);
    }
  }
  return replies;
}

/**
 * Polls every reply mailbox every `everyMs` (one round at a time). Returns a stop function.
 * Errors are reported and the next round tries again (a mailbox down for a while loses nothing:
 * the messages stay unseen).
 */
export function scheduleMailboxPolls(
  db: Db,
  fromEnv: MailboxConfig | null,
  everyMs: number,
  onError: (e: unknown, orgId: string | null) => void,
): () => Promise<void> {
  let running: Promise<unknown> | null = null;
  const timer = setInterval(() => {
    if (running) return;
    running = pollAllMailboxes(db, fromEnv, onError)
      .catch((e) => onError(e, null))
      .finally(() => {
        running = null;
      });
  }, everyMs);
  timer.unref?.();
  return async () => {
    clearInterval(timer);
    if (running) await running;
  };
}
