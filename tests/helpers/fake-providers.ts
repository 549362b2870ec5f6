import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/**
 * Local HTTP servers speaking the documented APIs of the two messaging providers we cannot reach
 * from here: Twilio Programmable Messaging (Messages.json, form-encoded, basic auth) and the
 * WhatsApp Cloud API (/{version}/{phone-number-id}/messages, JSON, bearer token). They check
 * auth and required fields, answer with the documented JSON shapes and error codes, record
 * every request, and can be told to fail the next N requests with a 5xx.
 */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface FakeProvider {
  url: string;
  requests: RecordedRequest[];
  /** The next `n` requests answer `status` (e.g. 503) before any validation, with `body` if given. */
  failNext(n: number, status?: number, body?: unknown): void;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function listen(handler: (req: IncomingMessage, body: string, res: ServerResponse) => void): Promise<FakeProvider> {
  const requests: RecordedRequest[] = [];
  let failures: { n: number; status: number; body?: unknown } = { n: 0, status: 500 };
  const server: Server = createServer(async (req, res) => {
    const body = await readBody(req);
    requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
    if (failures.n > 0) {
      failures.n--;
      return send(res, failures.status, failures.body ?? { message: 'Service temporarily unavailable (fake)' });
    }
    handler(req, body, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  if (!addr || typeof addr !== 'object') throw new Error('fake provider has no port');
  return {
    url: `http://127.0.0.1:${addr.port}`,
    requests,
    failNext(n, status = 500, body) {
      failures = { n, status, body };
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

const E164 = /^\+[1-9]\d{6,14}$/;

export async function startFakeTwilio(creds: { accountSid: string; authToken: string }): Promise<FakeProvider> {
  return listen((req, raw, res) => {
    const m = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(req.url ?? '');
    if (req.method !== 'POST' || !m)
      return send(res, 404, {
        code: 20404,
        message: 'The requested resource was not found',
        more_info: 'https://www.twilio.com/docs/errors/20404',
        status: 404,
      });
    const expected = `Basic ${Buffer.from(`${creds.accountSid}:${creds.authToken}`).toString('base64')}`;
    if (req.headers.authorization !== expected || decodeURIComponent(m[1]!) !== creds.accountSid) {
      return send(res, 401, { code: 20003, message: 'Authenticate', more_info: 'https://www.twilio.com/docs/errors/20003', status: 401 });
    }
    if (!String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
      return send(res, 400, { code: 20001, message: 'Unsupported content type', status: 400 });
    }
    const form = new URLSearchParams(raw);
    const to = form.get('To');
    const from = form.get('From') ?? form.get('MessagingServiceSid');
    const body = form.get('Body');
    const err = (code: number, message: string) =>
      send(res, 400, { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status: 400 });
    if (!to) return err(21604, "A 'To' phone number is required.");
    if (!from) return err(21603, "A 'From' phone number is required.");
    if (!body) return err(21602, 'Message body is required.');
    if (!E164.test(to)) return err(21211, `Invalid 'To' Phone Number: ${to}`);
    const sid = `SM${randomBytes(16).toString('hex')}`;
    const now = new Date().toUTCString();
    send(res, 201, {
      account_sid: creds.accountSid,
      api_version: '2010-04-01',
      body,
      date_created: now,
      date_sent: null,
      date_updated: now,
      direction: 'outbound-api',
      error_code: null,
      error_message: null,
      from: form.get('From'),
      messaging_service_sid: form.get('MessagingServiceSid'),
      num_media: '0',
      num_segments: String(Math.ceil(body.length / 153) || 1),
      price: null,
      price_unit: 'USD',
      sid,
      status: 'queued',
      subresource_uris: { media: `/2010-04-01/Accounts/${creds.accountSid}/Messages/${sid}/Media.json` },
      to,
      uri: `/2010-04-01/Accounts/${creds.accountSid}/Messages/${sid}.json`,
    });
  });
}

/** A template the fake's WhatsApp Business account has approved, in one language. */
export interface FakeApprovedTemplate {
  name: string;
  language: string;
  bodyParams: number;
}

export interface FakeWhatsAppOptions {
  /** Approved templates; any other name/language answers 132001. */
  templates?: FakeApprovedTemplate[];
  /** Numbers (digits only) with an open 24-hour customer-service window: only they accept free text. */
  openWindows?: string[];
  /** Numbers (digits only) WhatsApp cannot deliver to (not on WhatsApp, or blocked the business): 131026. */
  undeliverable?: string[];
}

interface TemplateRequest {
  name?: string;
  language?: { code?: string };
  components?: Array<{ type?: string; parameters?: Array<{ type?: string; text?: string }> }>;
}

/**
 * Meta reports 131047 and 131026 synchronously here; the real Cloud API may also accept the
 * request (200) and report them later in the status webhook.
 */
export async function startFakeWhatsApp(
  creds: { accessToken: string; phoneNumberId: string },
  opts: FakeWhatsAppOptions = {},
): Promise<FakeProvider> {
  return listen((req, raw, res) => {
    const m = /^\/(v\d+\.\d+)\/([^/]+)\/messages$/.exec(req.url ?? '');
    const fb = (status: number, code: number, message: string, type = 'OAuthException', details?: string) =>
      send(res, status, {
        error: {
          message,
          type,
          code,
          ...(details ? { error_data: { messaging_product: 'whatsapp', details } } : {}),
          fbtrace_id: randomBytes(8).toString('base64url'),
        },
      });
    if (req.method !== 'POST' || !m) return fb(400, 100, 'Unsupported post request.', 'GraphMethodException');
    if (req.headers.authorization !== `Bearer ${creds.accessToken}`)
      return fb(401, 190, 'Invalid OAuth access token - Cannot parse access token');
    if (decodeURIComponent(m[2]!) !== creds.phoneNumberId)
      return fb(400, 100, `Unsupported post request. Object with ID '${m[2]}' does not exist`, 'GraphMethodException');
    let j: { messaging_product?: string; to?: string; type?: string; text?: { body?: string }; template?: TemplateRequest };
    try {
      j = JSON.parse(raw);
    } catch {
      return fb(400, 100, 'Invalid parameter', 'OAuthException');
    }
    if (j.messaging_product !== 'whatsapp') return fb(400, 100, '(#100) The parameter messaging_product is required.');
    if (!j.to) return fb(400, 100, '(#100) The parameter to is required.');
    if (!/^\d{7,15}$/.test(j.to)) return fb(400, 131030, '(#131030) Recipient phone number not in allowed list');
    if (j.type === 'text') {
      if (!j.text?.body) return fb(400, 100, "(#100) The parameter text['body'] is required.");
      if (!opts.openWindows?.includes(j.to)) {
        return fb(
          400,
          131047,
          '(#131047) Re-engagement message',
          'OAuthException',
          'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
        );
      }
    } else if (j.type === 'template') {
      const t = j.template;
      if (!t?.name) return fb(400, 100, "(#100) The parameter template['name'] is required.");
      if (!t.language?.code) return fb(400, 100, "(#100) The parameter template['language'] is required.");
      const approved = opts.templates?.find((a) => a.name === t.name && a.language === t.language!.code);
      if (!approved) {
        return fb(
          404,
          132001,
          '(#132001) Template name does not exist in the translation',
          'OAuthException',
          `template name (${t.name}) does not exist in ${t.language.code}`,
        );
      }
      const body = (t.components ?? []).filter((c) => c.type === 'body').flatMap((c) => c.parameters ?? []);
      if (body.length !== approved.bodyParams) {
        return fb(
          400,
          132000,
          '(#132000) Number of parameters does not match the expected number of params',
          'OAuthException',
          `body: number of localizable_params (${body.length}) does not match the expected number of params (${approved.bodyParams})`,
        );
      }
      if (body.some((p) => p.type !== 'text' || !p.text)) return fb(400, 131008, '(#131008) Required parameter is missing');
    } else {
      return fb(400, 100, `(#100) Param type must be one of {TEXT, TEMPLATE, …} - got "${j.type}".`);
    }
    if (opts.undeliverable?.includes(j.to)) return fb(400, 131026, '(#131026) Message undeliverable');
    send(res, 200, {
      messaging_product: 'whatsapp',
      contacts: [{ input: j.to, wa_id: j.to }],
      messages: [{ id: `wamid.${randomBytes(24).toString('base64url')}` }],
    });
  });
}
