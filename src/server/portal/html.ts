import { t, type Lang } from './texts';

/**
 * The page's HTML: server-rendered, one small inline style sheet, no script, forms that post back.
 * A debtor on a 2G-ish phone connection gets a few kilobytes and can act at once (bench "portal").
 */

export const esc = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

// Contrast ≥ 4.5:1 everywhere (axe); large touch targets; one column that fits 320 px.
const CSS = `*{box-sizing:border-box}body{margin:0;font:16px/1.45 system-ui,sans-serif;color:#1a1a1a;background:#f4f5f7}
header{background:#0b4f6c;color:#fff;padding:12px 16px;display:flex;justify-content:space-between;align-items:center}
header a{color:#fff}main{max-width:34rem;margin:0 auto;padding:12px}h1{font-size:1.25rem;margin:0}h2{font-size:1.1rem;margin:.2rem 0 .6rem}
section{background:#fff;border-radius:8px;padding:12px 14px;margin:0 0 12px;box-shadow:0 1px 2px #0002}
label{display:block;margin:.5rem 0 .2rem;font-weight:600}input,select,textarea{width:100%;font:inherit;padding:10px;border:1px solid #6b7280;border-radius:6px;background:#fff;color:#1a1a1a}
button,.btn{display:inline-block;margin-top:.6rem;padding:11px 16px;font:inherit;font-weight:600;border:0;border-radius:6px;background:#0b4f6c;color:#fff;text-decoration:none;cursor:pointer}
.note{padding:10px;border-radius:6px;background:#fff4d6;border-left:4px solid #8a5a00}.ok{background:#e3f4e8;border-left-color:#1d6b35}
table{width:100%;border-collapse:collapse}td,th{text-align:left;padding:6px 4px;border-bottom:1px solid #d1d5db}td.n,th.n{text-align:right}
dl{display:grid;grid-template-columns:auto 1fr;gap:2px 12px;margin:0}dt{color:#374151}dd{margin:0;font-weight:600}details{margin-top:8px}summary{cursor:pointer;font-weight:600;color:#0b4f6c;padding:6px 0}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}caption{text-align:left;font-weight:600;padding:4px 0}`;

export interface Frame {
  lang: Lang;
  /** The page's own address (no query), for the language switch. */
  self: string;
  title: string;
}

export function page(f: Frame, body: string): string {
  const other: Lang = f.lang === 'es' ? 'en' : 'es';
  return `<!doctype html><html lang="${f.lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><title>${esc(f.title)}</title><style>${CSS}</style></head>
<body><header><h1>${esc(f.title)}</h1><a href="${esc(f.self)}?lang=${other}" lang="${other}">${t(f.lang, 'switchLang')}</a></header>
<main>${body}</main></body></html>`;
}

export const note = (text: string, ok = false): string => `<p class="note${ok ? ' ok' : ''}" role="status">${esc(text)}</p>`;

export const section = (heading: string, inner: string): string => `<section><h2>${esc(heading)}</h2>${inner}</section>`;

/** A form posting back to the page; `lang` rides along so the answer stays in the debtor's language. */
export function form(action: string, lang: Lang, inner: string, button: string): string {
  return `<form method="post" action="${esc(action)}?lang=${lang}">${inner}<button type="submit">${esc(button)}</button></form>`;
}

let fieldSeq = 0;
export function field(label: string, name: string, attrs: string): string {
  const id = `f${++fieldSeq % 1000}-${name}`;
  return `<label for="${id}">${esc(label)}</label><input id="${id}" name="${name}" ${attrs}>`;
}

export function select(label: string, name: string, options: Array<[string, string]>, selected?: string): string {
  const id = `f${++fieldSeq % 1000}-${name}`;
  const opts = options.map(([v, l]) => `<option value="${esc(v)}"${v === selected ? ' selected' : ''}>${esc(l)}</option>`).join('');
  return `<label for="${id}">${esc(label)}</label><select id="${id}" name="${name}">${opts}</select>`;
}

export const hidden = (name: string, value: string): string => `<input type="hidden" name="${name}" value="${esc(value)}">`;
