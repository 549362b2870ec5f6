import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  Settings, WorkstationError, type ApiEvents, type DataChangedEvent, type SyncState, type WorkstationHandlers,
} from '../../shared/api/contract';
import { LoginResponse, UserList } from '../../shared/api/rest';
import { ComplianceAuditEntry, ComplianceViolation, OrgComplianceState, OrgMessageTemplate, SipCredentials, TemplateAuditEntry } from '../../shared/api/contract';
import { ActivityReport } from '../../shared/reports/activity';
import { DebtorExport } from '../../shared/api/privacy';
import { debtorExportFileName, renderDebtorExportHtml } from '../../shared/privacy/export-html';
import { AdminUser, Team, TeamList } from '../../shared/api/users';
import { localDate, zonedTimeToUtc } from '../../shared/domain/time';
import { renderSubject, renderTemplate, templateVars } from '../../shared/domain/message-template';
import { checkContact } from '../../shared/rules/compliance';
import type { LocalWrite } from '../store/store';
import { systemClock, type Clock } from '../sync/engine';
import { createServerClient, SyncHttpError, type FetchLike } from '../sync/transport';
import { notFound, notSignedIn, toWorkstationError } from './errors';
import { nameHolders, refuseForbiddenContact } from './contact-compliance';
import { ensurePrivateDataDir, readJson, removeFile, writePrivateJson } from './files';
import { currentSessionFile, normalizeServerUrl, settingsFile } from './paths';
import { createOrgData } from './org-data';
import type { SecretVault } from '../secrets/vault';
import { UserContext, type StoredSession } from './user-context';
import { cachedPolicies, checkPromisePolicy, createCollectionsHandlers, refreshCollectionsCache } from './collections';
import { selectPromisePolicy } from '../../shared/rules/promises';

export interface WorkstationOptions {
  dataDir: string;
  /** Where secrets are kept (the desktop app: the OS keychain); a 0600 file under dataDir by default. */
  vault?: SecretVault;
  defaultServerUrl: string;
  fetch?: FetchLike;
  clock?: Clock;
  /** The workstation's idea of now (tests, e2e): replaces clock.now, timers stay real. */
  now?: () => Date;
  random?: () => number;
  syncIntervalMs?: number;
  /** How often time-driven queue changes (new day, callbacks falling due) are checked. */
  tickMs?: number;
}

export interface DueCallback { accountId: string; debtorName: string; callbackAt: string }

export interface WorkstationEvents extends ApiEvents {
  /** Main side only: callbacks that just fell due (for desktop notifications). */
  onCallbacksDue(listener: (due: DueCallback[]) => void): () => void;
}

export interface Workstation {
  handlers: WorkstationHandlers;
  events: WorkstationEvents;
  /** The OS reports the network is back. */
  notifyOnline(): void;
  close(): Promise<void>;
}

const GlobalSettings = z.object({ serverUrl: z.string().url(), locale: z.enum(['es', 'en']) });
const CurrentSession = z.object({ serverUrl: z.string().url(), userId: z.string().uuid() });

const OFFLINE_STATE: SyncState = {
  online: false, syncing: false, pending: 0, lastSuccessAt: null, lastError: null, updateRequired: false,
  authRequired: false, progress: null, rejected: [],
};

function listeners<T>() {
  const set = new Set<(v: T) => void>();
  return {
    add(l: (v: T) => void) { set.add(l); return () => { set.delete(l); }; },
    emit(v: T) { for (const l of set) { try { l(v); } catch { /* a listener's bug must not break the caller */ } } },
  };
}

/**
 * The main-side implementation of every API method: the agent's session, their local store and
 * sync engine, settings. Every write is local first and queued; nothing waits for the network.
 */
export async function createWorkstation(o: WorkstationOptions): Promise<Workstation> {
  const baseClock = o.clock ?? systemClock;
  const clock: Clock = o.now ? { ...baseClock, now: o.now } : baseClock;
  const syncState = listeners<SyncState>();
  const dataChanged = listeners<DataChangedEvent>();
  const callbacksDue = listeners<DueCallback[]>();
  ensurePrivateDataDir(o.dataDir);
  let settings = readJson(settingsFile(o.dataDir), GlobalSettings) ?? { serverUrl: o.defaultServerUrl, locale: 'es' as const };
  let ctx: UserContext | null = null;
  let lastTick = clock.now().toISOString();
  let tickTimer: unknown = null;
  const orgData = createOrgData(() => clock.now());
  // the collections cache (policies, the agent's approval requests) and the message templates follow each successful sync
  let collectionsSyncedAt: string | null = null;
  // requests started after a sync, awaited by close() so none is left half-read on a closed store
  const background = new Set<Promise<unknown>>();
  const inBackground = (p: Promise<unknown>) => { const q = p.catch(() => {}); background.add(q); void q.finally(() => background.delete(q)); };
  syncState.add((s) => {
    if (!s.lastSuccessAt || s.lastSuccessAt === collectionsSyncedAt || !ctx) return;
    collectionsSyncedAt = s.lastSuccessAt;
    inBackground(refreshCollectionsCache(ctx).then((ids) => { if (ids.length) dataChanged.emit({ accountIds: ids }); }));
    // open message panels re-read their templates (previews of every account may have changed)
    const c = ctx;
    inBackground(orgData.refreshTemplates(c).then((changed) => {
      if (changed) dataChanged.emit({ accountIds: null });
      // then the compliance rules, when the pull's token says they changed (templates are done)
      return orgData.refresh(c);
    }));
  });

  const deps = {
    dataDir: o.dataDir, vault: o.vault, fetch: o.fetch, clock: o.clock || o.now ? clock : undefined, random: o.random, syncIntervalMs: o.syncIntervalMs,
    onState: (s: SyncState) => syncState.emit(s),
    onDataChanged: (accountIds: string[] | null) => {
      // accounts a pull just brought in are judged for the queue's "contactable today" filter
      const judged = ctx?.store.refreshContactability() ?? [];
      dataChanged.emit({ accountIds: accountIds === null || judged.length > 1000 ? null : [...new Set([...accountIds, ...judged])] });
    },
  };

  function saveSettings() {
    writePrivateJson(settingsFile(o.dataDir), settings);
  }

  function openContext(serverUrl: string, user: StoredSession['user'], token: string | null): UserContext {
    const c = new UserContext(deps, serverUrl, user, token);
    writePrivateJson(currentSessionFile(o.dataDir), { serverUrl, userId: user.id });
    c.engine.start();
    return c;
  }

  // resume the last session, offline-first: the agent works from the store whatever the network
  const current = readJson(currentSessionFile(o.dataDir), CurrentSession);
  if (current) {
    // a store this app cannot open (written by a newer version) is left for the newer app
    let stored: StoredSession | null = null;
    try { stored = UserContext.peek(o.dataDir, current.serverUrl, current.userId, o.vault); } catch { stored = null; }
    if (stored?.token) ctx = openContext(stored.serverUrl, stored.user, stored.token);
  }

  function need(): UserContext {
    if (!ctx) throw notSignedIn();
    return ctx;
  }

  function complianceFor(
    c: UserContext, account: Parameters<typeof checkContact>[0]['account'], debtor: Parameters<typeof checkContact>[0]['debtor'],
    cp: Parameters<typeof checkContact>[0]['contactPoint'], channel: Parameters<typeof checkContact>[0]['channel'], at: Date,
  ) {
    const org = orgData.compliance(c);
    return nameHolders(c, checkContact({
      channel, contactPoint: cp, debtor, account, history: c.store.attemptsOnDebtor(debtor.id), at,
      ...(org ? { org: { country: org.country, timeZone: org.timeZone, dncNumbers: org.rules.dncNumbers, overrides: org.rules.overrides } } : {}),
    }));
  }

  function write(c: UserContext, writes: LocalWrite[]): string[] {
    const r = c.store.write(writes);
    c.engine.notifyLocalWrite();
    dataChanged.emit({ accountIds: r.accountIds });
    return r.accountIds;
  }

  function tick() {
    const now = clock.now().toISOString();
    if (ctx) {
      const touched = [...new Set([...ctx.store.refreshForTime(), ...ctx.store.refreshContactability()])];
      if (touched.length) dataChanged.emit({ accountIds: touched.length > 1000 ? null : touched });
      const due = ctx.store.callbacksDueBetween(lastTick, now);
      if (due.length) callbacksDue.emit(due);
      if (ctx.engine.getState().online) void orgData.refresh(ctx).catch(() => {});
    }
    lastTick = now;
  }
  function scheduleTick() {
    tickTimer = clock.setTimeout(() => { try { tick(); } finally { scheduleTick(); } }, o.tickMs ?? 60_000);
  }
  if (ctx) ctx.store.refreshForTime();
  scheduleTick();

  const handlers: WorkstationHandlers = {
    ...createCollectionsHandlers({ need, now: () => clock.now(), write, dataChanged: (ids) => dataChanged.emit({ accountIds: ids }) }),

    async getSession() {
      return ctx ? ctx.publicSession() : null;
    },

    async login({ username, password, serverUrl }) {
      const url = normalizeServerUrl(serverUrl ?? settings.serverUrl);
      const client = createServerClient({ serverUrl: url, fetch: o.fetch, timeoutMs: 20_000 });
      let res: LoginResponse;
      try {
        res = await client.call('POST', '/api/v1/auth/login', { username, password }, LoginResponse);
      } catch (e) {
        if (e instanceof SyncHttpError && e.kind === 'auth') {
          throw new WorkstationError(e.code === 'user_disabled' ? 'auth.user_disabled' : 'auth.invalid_credentials', e.message);
        }
        throw toWorkstationError(e);
      }
      if (ctx && ctx.session.serverUrl === url && ctx.session.user.id === res.user.id) {
        ctx.setToken(res.token, res.user);
        ctx.engine.resume();
      } else {
        const old = ctx;
        ctx = null;
        await old?.close();
        ctx = openContext(url, res.user, res.token);
      }
      if (settings.serverUrl !== url) { settings = { ...settings, serverUrl: url }; saveSettings(); }
      // the organisation's rules and templates, for offline checks; the login does not fail without them
      orgData.reset();
      await orgData.refresh(ctx, true).catch(() => {});
      return ctx.publicSession();
    },

    async logout() {
      if (!ctx) return null;
      const c = ctx;
      ctx = null;
      // best effort: the server session is ended if we can reach it; the outbox stays in the store
      try { await c.server.call('POST', '/api/v1/auth/logout', {}, z.unknown()); } catch { /* offline */ }
      c.setToken(null);
      await c.close();
      removeFile(currentSessionFile(o.dataDir));
      syncState.emit(OFFLINE_STATE);
      return null;
    },

    async getMyDay() {
      const c = need();
      // the workstation's calendar day: the agent's own working day, wherever the debtors are
      const now = clock.now();
      const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
      const since = zonedTimeToUtc(localDate(now, zone), '00:00', zone).toISOString();
      return { since, ...c.store.myDay(c.session.user.id, since) };
    },

    async listQueue(query) {
      // the agent's queue offers only debtors who can still be contacted today unless asked otherwise;
      // a search looks for a specific debtor (an inbound call, a payment) and finds them all
      return need().store.listQueue({ ...query, contactableOnly: query.contactableOnly ?? !query.search?.trim() });
    },

    async getAccount({ accountId }) {
      const c = need();
      const d = c.store.getAccount(accountId);
      if (!d) throw notFound('account', 'accountId');
      // the form shows the policy's minimum before the agent types, and checks it as they submit
      return { ...d, promisePolicy: selectPromisePolicy(cachedPolicies(c)?.promisePolicies ?? [], d.account.product) };
    },

    async findAccountByPhone({ phone }) {
      return need().store.findAccountByPhone(phone);
    },

    async logOutcome(input) {
      const c = need();
      const account = c.store.getAccountRow(input.accountId);
      if (!account) throw notFound('account', 'accountId');
      if (input.disposition === 'promise_to_pay' && !input.promise) {
        throw new WorkstationError('validation', 'a promise to pay needs at least one installment', 'promise');
      }
      // an outcome logged by hand is the contact itself: checked like placing it (a softphone call was checked before dialling)
      const direction = input.direction ?? 'outbound';
      if (!input.callActivityId) refuseForbiddenContact(input.channel, direction, () => {
        const cp = input.contactPointId ? c.store.getContactPoint(input.contactPointId) : null;
        return complianceFor(c, account, c.store.getDebtor(account.debtorId)!, cp, input.channel, clock.now());
      });
      if (input.promise) checkPromisePolicy(c, account, input.promise.installments, clock.now());
      const now = clock.now().toISOString();
      const writes: LocalWrite[] = [];
      const promiseId = input.promise ? randomUUID() : null;
      if (input.promise && promiseId) {
        writes.push({ name: 'promise.create', args: {
          id: promiseId, accountId: input.accountId, channel: input.channel, createdAt: now, installments: input.promise.installments,
        } });
      }
      let activityId: string;
      if (input.callActivityId) {
        const call = c.store.getActivity(input.callActivityId);
        if (!call || call.accountId !== input.accountId) throw notFound('call', 'callActivityId');
        activityId = call.id;
        writes.push({ name: 'activity.setOutcome', args: { activityId, disposition: input.disposition, note: input.note, promiseId } });
      } else {
        activityId = randomUUID();
        const cp = input.contactPointId ? c.store.getContactPoint(input.contactPointId) : null;
        if (input.contactPointId && !cp) throw notFound('contact point', 'contactPointId');
        writes.push({ name: 'activity.log', args: {
          id: activityId, accountId: input.accountId, channel: input.channel, contactPointId: input.contactPointId,
          address: cp?.value ?? null, disposition: input.disposition, note: input.note, startedAt: now, promiseId, direction,
          manualDial: input.channel === 'call' && direction === 'outbound', loggedOnline: c.engine.getState().online,
        } });
      }
      if (input.callbackAt) {
        writes.push({ name: 'account.setCallback', args: { accountId: input.accountId, callbackAt: input.callbackAt, note: input.note } });
      }
      // the status an outcome implies (dispute, do-not-contact …) is derived from the outcome
      // itself, locally and on the server, never queued apart (docs/sync.md, set-once outcomes)
      write(c, writes);
      return { activityId, promiseId };
    },

    async logCallAttempt(input) {
      const c = need();
      if (c.store.getActivity(input.id)) return { activityId: input.id }; // a retry of the same attempt
      if (!c.store.getAccountRow(input.accountId)) throw notFound('account', 'accountId');
      write(c, [{ name: 'activity.log', args: {
        id: input.id, accountId: input.accountId, channel: 'call', direction: input.direction,
        contactPointId: input.contactPointId, address: input.address, disposition: null, startedAt: input.startedAt,
        answeredAt: input.answeredAt, endedAt: input.endedAt, durationSec: input.durationSec, sipStatus: input.sipStatus,
        hangupBy: input.hangupBy,
      } }]);
      return { activityId: input.id };
    },

    async addNote({ accountId, body }) {
      const c = need();
      if (!c.store.getAccountRow(accountId)) throw notFound('account', 'accountId');
      const id = randomUUID();
      write(c, [{ name: 'note.add', args: { id, accountId, body, createdAt: clock.now().toISOString() } }]);
      return { noteId: id };
    },

    async flagContactPoint(input) {
      const c = need();
      if (!c.store.getContactPoint(input.contactPointId)) throw notFound('contact point', 'contactPointId');
      write(c, [{ name: 'contactPoint.flag', args: input }]);
      return null;
    },

    async setCallback(input) {
      const c = need();
      if (!c.store.getAccountRow(input.accountId)) throw notFound('account', 'accountId');
      write(c, [{ name: 'account.setCallback', args: input }]);
      return null;
    },

    async setDebtorPreferences(input) {
      const c = need();
      if (!c.store.getDebtor(input.debtorId)) throw notFound('debtor', 'debtorId');
      write(c, [{ name: 'debtor.setPreferences', args: input }]);
      return null;
    },

    async checkContact({ accountId, contactPointId, channel, at }) {
      const c = need();
      const account = c.store.getAccountRow(accountId);
      if (!account) throw notFound('account', 'accountId');
      const debtor = c.store.getDebtor(account.debtorId)!;
      const cp = contactPointId ? c.store.getContactPoint(contactPointId) : null;
      if (contactPointId && (!cp || cp.debtorId !== debtor.id)) throw notFound('contact point', 'contactPointId');
      return complianceFor(c, account, debtor, cp, channel, at ? new Date(at) : clock.now());
    },

    async listMessageTemplates({ accountId }) {
      const c = need();
      const account = c.store.getAccountRow(accountId);
      if (!account) throw notFound('account', 'accountId');
      const debtor = c.store.getDebtor(account.debtorId)!;
      if (orgData.templates(c).length === 0) await orgData.refresh(c, true).catch(() => {});
      const vars = templateVars(account, debtor, clock.now());
      // the subject as the debtor's inbox shows it, rendered like the body (and like the server will)
      return orgData.templates(c).map((t) => ({
        ...t, preview: renderTemplate(t.body, vars), subjectPreview: t.channel === 'email' && t.subject ? renderSubject(t.subject, vars) : null,
      }));
    },

    async sendMessage({ accountId, contactPointId, channel, templateId }) {
      const c = need();
      const account = c.store.getAccountRow(accountId);
      if (!account) throw notFound('account', 'accountId');
      const debtor = c.store.getDebtor(account.debtorId)!;
      const cp = c.store.getContactPoint(contactPointId);
      if (!cp || cp.debtorId !== debtor.id) throw notFound('contact point', 'contactPointId');
      const template = orgData.templates(c).find((t) => t.id === templateId && t.channel === channel);
      if (!template) throw notFound('template', 'templateId');
      // the server would refuse it (WhatsApp starts conversations only with Meta-approved templates):
      // say so now, before a local attempt counts against the day's contacts
      if (channel === 'whatsapp' && !template.whatsapp) {
        throw new WorkstationError('server.whatsapp_template_unapproved', `template "${template.name}" has no Meta-approved WhatsApp template name`, 'templateId');
      }
      const now = clock.now();
      const decision = complianceFor(c, account, debtor, cp, channel, now);
      if (!decision.allowed) {
        throw new WorkstationError('compliance.blocked', decision.reasons.map((r) => r.en).join('; ') || 'contact not allowed now', 'contactPointId');
      }
      const id = randomUUID();
      const body = renderTemplate(template.body, templateVars(account, debtor, now));
      write(c, [{ name: 'message.send', args: { id, accountId, contactPointId, channel, templateId, body, createdAt: now.toISOString() } }]);
      return { messageId: id };
    },

    async getOrgCompliance() {
      return need().server.call('GET', '/api/v1/org/compliance', undefined, OrgComplianceState);
    },

    async saveOrgCompliance(rules) {
      const c = need();
      const state = await c.server.call('PUT', '/api/v1/org/compliance', rules, OrgComplianceState);
      c.store.setMeta('orgCompliance', JSON.stringify(state));
      return state;
    },

    async listOrgTemplates() {
      return need().server.call('GET', '/api/v1/org/message-templates', undefined, z.array(OrgMessageTemplate));
    },

    async createOrgTemplate(template) {
      const c = need();
      const created = await c.server.call('POST', '/api/v1/org/message-templates', template, OrgMessageTemplate);
      // this workstation's own previews follow at once; the others on their next sync
      await orgData.refresh(c, true).catch(() => {});
      return created;
    },

    async updateOrgTemplate({ id, template }) {
      const c = need();
      const updated = await c.server.call('PUT', `/api/v1/org/message-templates/${encodeURIComponent(id)}`, template, OrgMessageTemplate);
      await orgData.refresh(c, true).catch(() => {});
      return updated;
    },

    async listTemplateAudit() {
      return need().server.call('GET', '/api/v1/org/message-templates/audit', undefined, z.array(TemplateAuditEntry));
    },

    async listComplianceViolations() {
      return need().server.call('GET', '/api/v1/compliance/violations', undefined, z.array(ComplianceViolation));
    },

    async getActivityReport(q) {
      const params = new URLSearchParams(Object.entries(q).filter((e): e is [string, string] => typeof e[1] === 'string'));
      return need().server.call('GET', `/api/v1/reports/activity?${params}`, undefined, ActivityReport);
    },

    async exportDebtorData({ debtorId }) {
      const doc = await need().server.call('GET', `/api/v1/privacy/debtors/${encodeURIComponent(debtorId)}/export`, undefined, DebtorExport);
      return { fileName: debtorExportFileName(doc, 'html'), html: renderDebtorExportHtml(doc) };
    },

    async listComplianceAudit() {
      return need().server.call('GET', '/api/v1/org/compliance/audit', undefined, z.array(ComplianceAuditEntry));
    },

    async listUsers() {
      return (await need().server.call('GET', '/api/v1/users', undefined, UserList)).users;
    },

    async listTeams() {
      return (await need().server.call('GET', '/api/v1/teams', undefined, TeamList)).teams;
    },

    async createUser(body) {
      return need().server.call('POST', '/api/v1/users', body, AdminUser);
    },

    async updateUser({ id, change }) {
      return need().server.call('PATCH', `/api/v1/users/${id}`, change, AdminUser);
    },

    async getSyncState() {
      return ctx ? ctx.engine.getState() : OFFLINE_STATE;
    },

    async syncNow() {
      const c = need();
      c.engine.resume(false);
      return c.engine.sync();
    },

    async getSettings() {
      const sip = ctx?.sip() ?? { settings: null, password: null };
      return Settings.parse({ serverUrl: settings.serverUrl, locale: settings.locale, sip: sip.settings, hasSipPassword: !!sip.password });
    },

    async saveSettings(update) {
      if (update.sip !== undefined || update.sipPassword !== undefined) {
        const c = ctx;
        if (!c) throw new WorkstationError('auth.required', 'sign in to save SIP settings: they belong to the agent', update.sip !== undefined ? 'sip' : 'sipPassword');
        const prev = c.sip();
        c.setSip({
          settings: update.sip !== undefined ? update.sip : prev.settings,
          password: update.sipPassword !== undefined ? (update.sipPassword === '' ? null : update.sipPassword) : prev.password,
        });
      }
      settings = {
        serverUrl: update.serverUrl ? normalizeServerUrl(update.serverUrl) : settings.serverUrl,
        locale: update.locale ?? settings.locale,
      };
      saveSettings();
      return handlers.getSettings(undefined);
    },

    async getSipCredentials() {
      const c = need();
      const local = c.sip();
      if (local.settings && local.password) return SipCredentials.parse({ ...local.settings, password: local.password });
      try {
        const creds = await c.server.call('GET', '/api/v1/me/sip', undefined, SipCredentials);
        const { password, ...rest } = creds;
        c.setSip({ settings: local.settings ?? rest, password: local.password ?? password });
        return SipCredentials.parse({ ...(local.settings ?? rest), password: local.password ?? password });
      } catch (e) {
        if (e instanceof SyncHttpError && e.status === 404) return null;
        throw toWorkstationError(e);
      }
    },
  };

  // every handler fails with a WorkstationError, whatever went wrong inside
  const guarded = Object.fromEntries(Object.entries(handlers).map(([name, fn]) => [name, async (input: unknown) => {
    try {
      return await (fn as (i: unknown) => Promise<unknown>)(input);
    } catch (e) {
      throw toWorkstationError(e);
    }
  }])) as unknown as WorkstationHandlers;

  return {
    handlers: guarded,
    events: {
      onSyncState: syncState.add,
      onDataChanged: dataChanged.add,
      onCallbacksDue: callbacksDue.add,
    },
    notifyOnline() { ctx?.engine.notifyOnline(); },
    async close() {
      if (tickTimer !== null) clock.clearTimeout(tickTimer);
      tickTimer = null;
      const c = ctx;
      ctx = null;
      await c?.engine.stop();
      await Promise.all([...background]);
      await c?.close();
    },
  };
}
