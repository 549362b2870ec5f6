import { create } from 'zustand';
import { getApi } from '../api';
import type { Session, Settings } from '../../shared/api/contract';
import { setUiLocale, type Locale } from '../i18n';
import { toUiError, type UiError } from '../lib/errors';
import { useQueue } from './queue';

type Status = 'loading' | 'anonymous' | 'authenticated';

interface SessionStore {
  status: Status;
  session: Session | null;
  settings: Settings | null;
  loginError: UiError | null;
  busy: boolean;
  init(): Promise<void>;
  login(username: string, password: string, serverUrl: string, organization?: string): Promise<boolean>;
  logout(): Promise<void>;
  setLocale(locale: Locale): Promise<void>;
  /** The sync engine reported 401: the agent must log in again (the outbox is kept main-side). */
  expire(): void;
  /** An administrator's wipe order erased this workstation's store: the login screen says so. */
  wiped(): void;
}

export const useSession = create<SessionStore>((set, get) => ({
  status: 'loading',
  session: null,
  settings: null,
  loginError: null,
  busy: false,

  async init() {
    const api = getApi();
    try {
      const [settings, session] = await Promise.all([api.getSettings(), api.getSession()]);
      setUiLocale(settings.locale);
      // a locked portfolio (the server answered 401) is shown the login again, with the reason
      set({ settings, session, status: session && !session.locked ? 'authenticated' : 'anonymous' });
    } catch (err) {
      set({ status: 'anonymous', loginError: toUiError(err) });
    }
  },

  async login(username, password, serverUrl, organization) {
    set({ busy: true, loginError: null });
    try {
      const current = get().settings?.serverUrl;
      const session = await getApi().login({
        username,
        password,
        ...(serverUrl && serverUrl !== current ? { serverUrl } : {}),
        ...(organization !== undefined ? { organization } : {}),
      });
      // the language is the user's own preference (the main side answers with it once signed in)
      const settings = await getApi().getSettings();
      setUiLocale(settings.locale);
      set({ session, settings, status: 'authenticated', busy: false });
      return true;
    } catch (err) {
      set({ loginError: toUiError(err), busy: false });
      return false;
    }
  },

  async logout() {
    try {
      await getApi().logout();
      // back to the machine's language before the login screen shows: the next person is not this user
      const settings = await getApi().getSettings();
      setUiLocale(settings.locale);
      set({ settings });
    } catch {
      /* signed out anyway; the login screen keeps the language on screen */
    } finally {
      // the queue's search and filters were this user's: the next one starts from a fresh queue
      useQueue.getState().reset();
      set({ session: null, status: 'anonymous' });
    }
  },

  async setLocale(locale) {
    setUiLocale(locale);
    try {
      const settings = await getApi().saveSettings({ locale });
      set({ settings });
    } catch (err) {
      // The language already changed on screen; failing to persist it is not worth blocking the agent.
      console.warn('saveSettings(locale) failed', err);
    }
  },

  wiped() {
    set({ status: 'anonymous', session: null, loginError: { code: 'server.device_wipe', message: 'device_wipe' } });
  },

  expire() {
    set({ status: 'anonymous' });
    // the main side has locked the portfolio: the login screen says why and who
    void getApi()
      .getSession()
      .then((session) => set({ session }))
      .catch(() => set({ session: null }));
  },
}));
