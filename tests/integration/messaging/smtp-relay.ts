import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerDataStream } from 'smtp-server';

/**
 * A local SMTP relay for the e-mail adapter's tests: smtp-server (the SMTP protocol, server side,
 * from the nodemailer project) on 127.0.0.1, requiring AUTH, recording every envelope and raw
 * message it accepts. It can be told to refuse the next N messages at MAIL, RCPT or DATA with a
 * chosen reply code, or to read a message and never answer (a relay that dies mid-DATA).
 */
export interface ReceivedMail {
  user: string | null;
  from: string;
  to: string[];
  raw: string;
}
export type Stage = 'mail' | 'rcpt' | 'data';

export interface LocalRelay {
  port: number;
  url: string;
  received: ReceivedMail[];
  /** Connections opened, accepted or not. */
  connections: number;
  /** AUTH commands received, right credentials or not. */
  logins: number;
  refuseNext(n: number, stage: Stage, code: number, text?: string): void;
  /** The next `n` messages are received (and recorded) but never answered, as when a relay dies mid-reply. */
  hangNext(n: number): void;
  reset(): void;
  close(): Promise<void>;
}

export const RELAY_USER = 'cobranza-relay';
export const RELAY_PASS = 'relay-secret';

function smtpError(code: number, text: string) {
  return Object.assign(new Error(text), { responseCode: code });
}

export async function startLocalRelay(): Promise<LocalRelay> {
  let refusal: { n: number; stage: Stage; code: number; text: string } = { n: 0, stage: 'rcpt', code: 550, text: '' };
  let hang = 0;
  let queueSeq = 0;
  const refuse = (stage: Stage) => {
    if (refusal.n <= 0 || refusal.stage !== stage) return null;
    refusal.n--;
    return smtpError(refusal.code, refusal.text);
  };
  const relay: LocalRelay = {
    port: 0,
    url: '',
    received: [],
    connections: 0,
    logins: 0,
    refuseNext(
      n,
      stage,
      code,
      text = code >= 500 ? 'Requested action not taken: mailbox unavailable' : 'Requested action aborted: try again later',
    ) {
      refusal = { n, stage, code, text };
    },
    hangNext(n) {
      hang = n;
    },
    reset() {
      relay.received.length = 0;
      relay.connections = 0;
      relay.logins = 0;
      refusal = { ...refusal, n: 0 };
      hang = 0;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server = new SMTPServer({
    name: 'relay.test',
    banner: 'local test relay',
    // plain-text AUTH on loopback: TLS is nodemailer's and Node's business, not what is tested here
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authOptional: false,
    closeTimeout: 200,
    logger: false,
    disableReverseLookup: true,
    onConnect(_session, cb) {
      relay.connections++;
      cb();
    },
    onAuth(auth, _session, cb) {
      relay.logins++;
      if (auth.username === RELAY_USER && auth.password === RELAY_PASS) return cb(null, { user: auth.username });
      cb(smtpError(535, 'Authentication credentials invalid'));
    },
    onMailFrom(_address, _session, cb) {
      cb(refuse('mail'));
    },
    onRcptTo(_address, _session, cb) {
      cb(refuse('rcpt'));
    },
    onData(stream: SMTPServerDataStream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const refused = refuse('data');
        if (refused) return cb(refused);
        relay.received.push({
          user: typeof session.user === 'string' ? session.user : null,
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        if (hang > 0) {
          hang--;
          return;
        } // queued, but the answer never leaves
        cb(null, `Ok: queued as 4F2A${(++queueSeq).toString(16).toUpperCase().padStart(4, '0')}`);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  relay.port = (server.server.address() as AddressInfo).port;
  relay.url = `smtp://${RELAY_USER}:${RELAY_PASS}@127.0.0.1:${relay.port}`;
  return relay;
}

/** RFC 2047 encoded words (=?UTF-8?B?…?= / =?UTF-8?Q?…?=), adjacent ones joined. */
function decodeWords(v: string): string {
  return v
    .replace(/(\?=)\s+(=\?)/g, '$1$2')
    .replace(/=\?([^?]+)\?([bBqQ])\?([^?]*)\?=/g, (_w, _charset: string, enc: string, text: string) =>
      enc.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : Buffer.from(
            text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))),
            'latin1',
          ).toString('utf8'),
    );
}

function decodeBody(body: string, transferEncoding: string): string {
  switch (transferEncoding.toLowerCase()) {
    case 'quoted-printable':
      return Buffer.from(
        body.replace(/=\r?\n/g, '').replace(/=([0-9A-Fa-f]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))),
        'latin1',
      ).toString('utf8');
    case 'base64':
      return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    default:
      return body;
  }
}

/** A single-part message as a reader sees it: decoded headers (lower-case names) and text. */
export function readMessage(raw: string): { headers: Record<string, string>; text: string } {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const headers: Record<string, string> = {};
  for (const line of head.split('\r\n')) {
    const i = line.indexOf(':');
    headers[line.slice(0, i).trim().toLowerCase()] = decodeWords(line.slice(i + 1).trim());
  }
  const text = decodeBody(raw.slice(split + 4), headers['content-transfer-encoding'] ?? '7bit')
    .replace(/\r\n/g, '\n')
    .replace(/\n$/, '');
  return { headers, text };
}
