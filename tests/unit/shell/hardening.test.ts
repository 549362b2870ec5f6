import { describe, expect, it } from 'vitest';
import { buildCsp, connectSources } from '../../../src/main/shell/csp';
import { externalLinkAction, externalLinkQuestion } from '../../../src/main/shell/links';
import { callbackNotice } from '../../../src/main/shell/notifications';
import { isAppUrl } from '../../../src/main/shell/origin';
import { mayGrant } from '../../../src/main/shell/permissions';

const APP = 'app://renderer/index.html';

describe('permissions: the microphone and nothing else', () => {
  it('grants an audio-only media request from our renderer', () => {
    expect(mayGrant({ permission: 'media', origin: APP, mediaTypes: ['audio'] })).toBe(true);
    expect(mayGrant({ permission: 'media', origin: 'app://renderer', mediaTypes: ['audio'] })).toBe(true);
  });

  it('refuses the camera, audio with video, and a media request naming nothing', () => {
    expect(mayGrant({ permission: 'media', origin: APP, mediaTypes: ['video'] })).toBe(false);
    expect(mayGrant({ permission: 'media', origin: APP, mediaTypes: ['audio', 'video'] })).toBe(false);
    expect(mayGrant({ permission: 'media', origin: APP, mediaTypes: [] })).toBe(false);
    expect(mayGrant({ permission: 'media', origin: APP, mediaTypes: ['unknown'] })).toBe(false);
    expect(mayGrant({ permission: 'media', origin: APP })).toBe(false);
  });

  it('refuses every other permission, even to our renderer', () => {
    for (const permission of [
      'geolocation',
      'notifications',
      'clipboard-read',
      'display-capture',
      'hid',
      'serial',
      'usb',
      'midi',
      'openExternal',
      'fullscreen',
      'pointerLock',
    ]) {
      expect(mayGrant({ permission, origin: APP, mediaTypes: ['audio'] }), permission).toBe(false);
    }
  });

  it('refuses the microphone to any page that is not our renderer', () => {
    for (const origin of [
      'https://evil.example',
      'http://127.0.0.1:5173',
      'file:///C:/x.html',
      'app://other/index.html',
      'app://user:pw@renderer/',
      '',
      undefined,
    ]) {
      expect(mayGrant({ permission: 'media', origin, mediaTypes: ['audio'] }), String(origin)).toBe(false);
    }
    expect(isAppUrl('not a url')).toBe(false);
  });
});

describe('CSP', () => {
  const csp = buildCsp({
    serverUrl: 'https://cobranza.example.com/api',
    sipUrls: ['wss://pbx.example.com:8089/ws', null, 'wss://pbx.example.com:8089/other'],
  });
  const directive = (name: string) => csp.split('; ').find((d) => d.startsWith(`${name} `));

  it('connects only to itself, the configured server and the SIP hosts', () => {
    expect(directive('connect-src')).toBe("connect-src 'self' https://cobranza.example.com wss://pbx.example.com:8089");
  });

  it('allows no plugins, no <base>, no frames', () => {
    expect(directive('object-src')).toBe("object-src 'none'");
    expect(directive('base-uri')).toBe("base-uri 'none'");
    expect(directive('frame-ancestors')).toBe("frame-ancestors 'none'");
    expect(directive('script-src')).toBe("script-src 'self'");
    expect(csp).not.toMatch(/unsafe-eval|\*/);
  });

  it('drops what is not a network URL and cannot smuggle a directive', () => {
    expect(
      connectSources({ serverUrl: 'javascript:alert(1)', sipUrls: ['file:///etc', 'wss://a.example; script-src *', 'garbage', ''] }),
    ).toEqual([]);
    expect(buildCsp({})).toContain("connect-src 'self';");
  });
});

describe('external links', () => {
  it('asks before web and mail links and refuses the rest without asking', () => {
    expect(externalLinkAction('https://www.sbs.gob.pe/')).toEqual({ action: 'ask', url: 'https://www.sbs.gob.pe/' });
    expect(externalLinkAction('mailto:cobranza@example.com')).toMatchObject({ action: 'ask' });
    for (const url of ['file:///C:/Windows/System32/calc.exe', 'smb://host/share', 'ms-msdt:/id', 'javascript:alert(1)', 'nonsense']) {
      expect(externalLinkAction(url), url).toEqual({ action: 'refuse' });
    }
  });

  it("shows where the link goes and defaults to Cancel, in the agent's language", () => {
    const es = externalLinkQuestion('https://www.sbs.gob.pe/x?y=1', 'es');
    expect(es).toMatchObject({
      message: '¿Abrir www.sbs.gob.pe fuera de Cobranza?',
      detail: 'https://www.sbs.gob.pe/x?y=1',
      buttons: ['Abrir', 'Cancelar'],
      defaultId: 1,
      cancelId: 1,
    });
    expect(externalLinkQuestion('https://a.example/', 'en').buttons).toEqual(['Open', 'Cancel']);
  });
});

describe('callback notifications', () => {
  const due = [{ debtorName: 'María Quispe' }, { debtorName: 'José Pérez' }, { debtorName: 'Ana Ruiz' }, { debtorName: 'Luis Soto' }];

  it('names no debtor while the screen is locked', () => {
    const n = callbackNotice(due, 'es', true)!;
    expect(n).toEqual({ title: 'Rellamadas pendientes', body: 'Tienes 4 rellamadas pendientes.', namesDebtors: false });
    for (const d of due) expect(`${n.title} ${n.body}`).not.toContain(d.debtorName.split(' ')[0]);
    expect(callbackNotice(due.slice(0, 1), 'en', true)).toEqual({
      title: 'Callback due',
      body: 'You have 1 callback due.',
      namesDebtors: false,
    });
  });

  it('may name them on an unlocked screen, and says so (closed when the screen locks)', () => {
    expect(callbackNotice(due, 'es', false)).toEqual({
      title: 'Rellamadas pendientes',
      body: 'María Quispe, José Pérez, Ana Ruiz y 1 más',
      namesDebtors: true,
    });
    expect(callbackNotice(due.slice(0, 1), 'en', false)).toEqual({ title: 'Callback due', body: 'María Quispe', namesDebtors: true });
  });

  it('says nothing when nothing is due', () => {
    expect(callbackNotice([], 'es', false)).toBeNull();
  });
});
