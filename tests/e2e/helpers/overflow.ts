import type { Page } from 'playwright-core';

/**
 * What overflows horizontally on the page now, as readable lines (empty when everything fits):
 * the document wider than the window, a clipping or scrolling box whose content is wider than it,
 * or an element that sticks out of the box that clips it (or out of the window). Exempt are the
 * boxes marked as intentional horizontal scrollers (`data-hscroll`) and all they contain, text
 * cut with an ellipsis (`text-overflow: ellipsis`, meant to be cut) and visually hidden text.
 */
export async function horizontalOverflow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    const doc = document.documentElement;
    if (doc.scrollWidth > doc.clientWidth) found.push(`document: ${doc.scrollWidth} px wide in a ${doc.clientWidth} px window`);
    const describe = (el: Element): string => {
      const id = el.getAttribute('data-testid');
      const cls = typeof el.className === 'string' && el.className ? `.${el.className.trim().split(/\s+/).join('.')}` : '';
      const text = (el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 40);
      return `${el.tagName.toLowerCase()}${id ? `[data-testid=${id}]` : ''}${cls} «${text}»`;
    };
    const clips = (el: Element): boolean => getComputedStyle(el).overflowX !== 'visible';
    const hidden = (el: Element): boolean => {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) return true;
      const s = getComputedStyle(el);
      return s.visibility === 'hidden' || s.clip === 'rect(0px, 0px, 0px, 0px)' || el.closest('.sr-only') !== null;
    };
    for (const el of Array.from(document.body.querySelectorAll('*'))) {
      if (el.closest('[data-hscroll]') && !el.hasAttribute('data-hscroll')) continue;
      if (el.hasAttribute('data-hscroll') || hidden(el)) continue;
      const style = getComputedStyle(el);
      if (clips(el) && el.scrollWidth > el.clientWidth + 1 && style.textOverflow !== 'ellipsis' && el.tagName !== 'SELECT') {
        found.push(`${describe(el)}: content ${el.scrollWidth} px wide in ${el.clientWidth} px`);
        continue;
      }
      // the nearest box that clips this element, or the window
      let box: Element | null = el.parentElement;
      while (box && box !== document.body && !clips(box)) box = box.parentElement;
      if (box && box !== document.body && (box.closest('[data-hscroll]') || getComputedStyle(box).textOverflow === 'ellipsis')) continue;
      const right = box && box !== document.body ? box.getBoundingClientRect().right : doc.clientWidth;
      const r = el.getBoundingClientRect();
      const fixed = style.position === 'fixed';
      if (r.right > (fixed ? doc.clientWidth : right) + 1) {
        found.push(`${describe(el)}: right edge at ${Math.round(r.right)} px, past ${Math.round(right)} px`);
      }
    }
    // one line per offender, but an overflowing box's children repeat it: keep the first few
    return found.slice(0, 15);
  });
}
