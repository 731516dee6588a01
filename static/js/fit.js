// @ts-check
// The projector cannot scroll, so every region of it fits its content to the space it has
// (docs/using-convene.md, "What fits on the projector"):
//  1. the layout gives each region its space (CSS: static/css/projector.css);
//  2. the region's type shrinks (the --fit factor, every size in it is in em) down to the
//     point where its smallest text would fall below the minimum (MIN_TEXT_SHARE of the
//     screen's height);
//  3. if it still does not fit, it pages: its [data-page-item] elements are split into pages
//     that each fit, shown in turn every PAGE_MS, with "1/2" in the corner. An item too big
//     for a page of its own (a long paragraph) pages by its [data-page-part]s (sentences,
//     dom.js pageParts); [data-page-early] items (a round's notes) go to the pages as their
//     own run, beside the others (its bars). The pages split, the type grows back as far as
//     every page still fits (pages made more even leave room on each).
// A region with data-fit-layouts="stacked columns" is fitted in the first of its layouts
// (data-layout, for the CSS) where all of it fits one page, else in the one with the fewest
// pages above the minimum.
// Text is never cut. Whatever is not a page item (a title, a result's headline) stays on
// screen on every page. A region re-fits whenever its content, its visibility or the window
// changes; while a re-fit is pending the root has data-fitting (the browser tests wait on it).
// A region says how it is paged in data-page and data-pages (1-based, "1" and "1" when it
// fits one page). A region with data-fit-held is not turned by the page clock: whoever holds
// it (the story of a count, rounds-projector.js) turns its pages with a "fit-turn" event on
// it (with detail.having, a selector: to the next page holding such an element; detail.turned says
// whether there was one), and learns each new fit from the "fit-done" event on the root. A region's data-fit-step names
// what it shows: when it changes (the next round of a story, another round), the region
// starts again on its first page.

/** No text on the projector is smaller than this share of the screen's height. */
export const MIN_TEXT_SHARE = 0.02;
/** A page of a region that does not fit stays this long. */
export const PAGE_MS = 8000;
const STEPS = 7; // binary search of the --fit factor: within 1% of the best

const overflows = (el) => el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1;

function visible(el) {
  return el.checkVisibility ? el.checkVisibility() : el.offsetParent !== null;
}

/** The smallest font size (px) of visible text in ``region``. */
function smallestText(region) {
  let smallest = Infinity;
  const walker = document.createTreeWalker(region, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!node.textContent.trim() || !el || !visible(el) || el.closest(".fit-pager")) continue;
    smallest = Math.min(smallest, parseFloat(getComputedStyle(el).fontSize));
  }
  return smallest;
}

/** A unit that pages by itself, beside the others: a round's notes (data-page-early). */
const isEarly = (unit) => Boolean(unit.closest("[data-page-early]"));

/** Show or hide a unit of the pages; a paragraph paged by its parts shows while one does. */
function setShown(unit, on) {
  unit.classList.toggle("off-page", !on);
  if (!unit.hasAttribute("data-page-part")) return;
  const holder = unit.parentElement && unit.parentElement.closest("[data-page-item]");
  if (holder) holder.classList.toggle("off-page", !holder.querySelector("[data-page-part]:not(.off-page)"));
}

class Region {
  constructor(el, format) {
    this.el = el;
    this.format = format;
    this.pages = [];
    this.page = 0;
    this.pager = null;
    this.step = undefined;
  }

  /** How it is paged, on the element: data-page of data-pages. */
  mark() {
    const pages = Math.max(1, this.pages.length);
    this.el.dataset.pages = String(pages);
    this.el.dataset.page = String(pages > 1 ? this.page + 1 : 1);
  }

  setFit(value) {
    this.el.style.setProperty("--fit", value.toFixed(3));
  }

  /** Fit the region; with data-fit-layouts="a b", in the first layout (data-layout) where
   * everything fits on one page, else in the one that keeps the type above the minimum with
   * the fewest pages. */
  fit(minPx) {
    if (this.el.dataset.fitStep !== this.step) {
      this.step = this.el.dataset.fitStep;
      this.page = 0;
    }
    this.fitLayout(minPx);
    this.mark();
  }

  fitLayout(minPx) {
    const layouts = (this.el.dataset.fitLayouts || "").split(/\s+/).filter(Boolean);
    if (layouts.length < 2) {
      this.fitOnce(minPx);
      return;
    }
    let best = null;
    for (const layout of layouts) {
      this.el.dataset.layout = layout;
      const outcome = this.fitOnce(minPx);
      if (outcome.pages === 1 && !outcome.belowFloor) {
        best = { layout, outcome };
        break;
      }
      const better = !best || (outcome.belowFloor !== best.outcome.belowFloor ? !outcome.belowFloor : outcome.pages < best.outcome.pages);
      if (better) best = { layout, outcome };
    }
    if (this.el.dataset.layout !== best.layout) {
      this.el.dataset.layout = best.layout;
      this.fitOnce(minPx);
    }
  }

  /** Shrink, then page, in the current layout: how many pages, and whether the type had to
   * go below the minimum. */
  fitOnce(minPx) {
    const el = this.el;
    const items = [...el.querySelectorAll("[data-page-item]")];
    for (const item of el.querySelectorAll("[data-page-item], [data-page-part]")) item.classList.remove("off-page");
    if (this.pager) this.pager.hidden = true;
    this.setFit(1);
    this.pages = [];
    const whole = { pages: 1, belowFloor: false };
    if (el.hidden || !visible(el) || !overflows(el)) return whole;
    const smallest = smallestText(el);
    const floor = Number.isFinite(smallest) ? Math.min(1, (minPx + 0.2) / smallest) : 1;
    this.setFit(floor);
    if (!overflows(el)) {
      let lo = floor;
      let hi = 1;
      for (let i = 0; i < STEPS; i += 1) {
        const mid = (lo + hi) / 2;
        this.setFit(mid);
        if (overflows(el)) hi = mid;
        else lo = mid;
      }
      this.setFit(lo);
      return whole;
    }
    this.paginate(this.units(items.filter(visible)));
    // Last resort, when a page still does not fit (one item too big for the space): smaller
    // type than the minimum rather than text cut off. The browser tests flag both.
    let fit = floor;
    let belowFloor = false;
    while (this.overflowing() && fit > 0.4) {
      belowFloor = true;
      fit *= 0.92;
      this.setFit(fit);
      this.pages = [];
      for (const item of el.querySelectorAll("[data-page-item], [data-page-part]")) item.classList.remove("off-page");
      this.paginate(this.units(items.filter(visible)));
    }
    if (!belowFloor && this.pages.length > 1) this.grow(floor);
    return { pages: Math.max(1, this.pages.length), belowFloor };
  }

  /** Paged at the minimum, each page may have room to spare (12 bars on two pages of 6):
   * the type grows back, up to its own size, as far as every page still fits. */
  grow(floor) {
    let lo = floor;
    let hi = 1;
    for (let i = 0; i < STEPS; i += 1) {
      const mid = (lo + hi) / 2;
      this.setFit(mid);
      if (this.overflowing()) hi = mid;
      else lo = mid;
    }
    this.setFit(lo);
  }

  overflowing() {
    if (!this.pages.length) return overflows(this.el);
    const page = this.page;
    let over = false;
    for (let i = 0; i < this.pages.length && !over; i += 1) {
      this.page = i;
      this.showPage(false);
      over = overflows(this.el);
    }
    this.page = page;
    this.showPage(false);
    return over;
  }

  /** The units of the pages: the page items, except that an item too big for a page alone
   * (a long paragraph) is paged by its parts (its sentences, dom.js pageParts). */
  units(items) {
    const out = [];
    this.showPager(items.length * 4); // a page of its own has the marker too
    for (const item of items) {
      const parts = [...item.querySelectorAll("[data-page-part]")];
      let alone = true;
      if (parts.length > 1) {
        for (const other of items) other.classList.toggle("off-page", other !== item);
        alone = !overflows(this.el);
        for (const other of items) other.classList.remove("off-page");
      }
      if (alone) out.push(item);
      else out.push(...parts);
    }
    return out;
  }

  /** The page marker, shown (with its widest text) while the pages are worked out. */
  showPager(count) {
    if (!this.pager) {
      this.pager = document.createElement("p");
      this.pager.className = "fit-pager";
      this.pager.dataset.testid = "pager";
    }
    if (this.pager.parentNode !== this.el) this.el.append(this.pager);
    this.pager.hidden = false;
    this.pager.textContent = this.format(count, count);
    return this.pager;
  }

  paginate(items) {
    if (this.pager) this.pager.hidden = true;
    if (items.length < 2) return;
    const pager = this.showPager(items.length);
    const show = (item, on) => setShown(item, on);
    // Two runs of units, each in order: the early ones (a round's notes) and the others (its
    // bars). Each page takes as many of the next early units as fit, then as many of the
    // next others as fit beside them (found by halving: one layout per try; more units never
    // take less room), at least one unit in all.
    const early = items.filter(isEarly);
    const rest = items.filter((item) => !isEarly(item));
    const fits = (e0, e1, r0, r1) => {
      early.forEach((item, i) => show(item, i >= e0 && i < e1));
      rest.forEach((item, i) => show(item, i >= r0 && i < r1));
      return !overflows(this.el);
    };
    const largest = (lo, hi, test) => {
      if (test(hi)) return hi;
      hi -= 1;
      while (lo < hi) {
        const mid = Math.ceil((lo + hi) / 2);
        if (test(mid)) lo = mid;
        else hi = mid - 1;
      }
      return lo;
    };
    let e = 0;
    let r = 0;
    while (e < early.length || r < rest.length) {
      const e1 = e < early.length ? largest(e + 1, early.length, (n) => fits(e, n, r, r)) : e;
      const r1 = r < rest.length ? largest(e1 > e ? r : r + 1, rest.length, (n) => fits(e, e1, r, n)) : r;
      this.pages.push([...early.slice(e, e1), ...rest.slice(r, r1)]);
      e = e1;
      r = r1;
    }
    if (this.pages.length < 2) {
      for (const item of items) show(item, true);
      this.pages = [];
      pager.hidden = true;
      return;
    }
    // As many pages, more even (10 + 2 reads worse than 6 + 6), where each still fits.
    if (!early.length) {
      const size = Math.ceil(items.length / this.pages.length);
      const even = [];
      for (let i = 0; i < items.length; i += size) even.push(items.slice(i, i + size));
      const evenFits = even.length === this.pages.length && even.every((page) => {
        for (const item of items) show(item, page.includes(item));
        return !overflows(this.el);
      });
      if (evenFits) this.pages = even;
    }
    this.page = Math.min(this.page, this.pages.length - 1);
    this.showPage(false);
  }

  showPage(fresh) {
    const all = this.pages.flat();
    for (const item of all) setShown(item, false);
    for (const item of this.pages[this.page]) {
      setShown(item, true);
      if (fresh) {
        item.classList.add("page-in");
        item.addEventListener("animationend", () => item.classList.remove("page-in"), { once: true });
      }
    }
    this.pager.textContent = this.format(this.page + 1, this.pages.length);
    this.pager.setAttribute("aria-label", this.pager.textContent);
  }

  /** The next page (after the last, the first); with ``having`` (a selector), the next page
   * after this one that holds such an element, if any (no turn otherwise). */
  next(having = null) {
    if (this.pages.length < 2) return false;
    const holds = (units) => units.some((unit) => unit.closest(having) || unit.querySelector(having));
    const to = having ? this.pages.findIndex((units, i) => i > this.page && holds(units)) : (this.page + 1) % this.pages.length;
    if (to < 0) return false;
    this.page = to;
    this.showPage(true);
    this.mark();
    return true;
  }
}

/**
 * Keep every ``[data-fit]`` region under ``root`` fitted. ``format(n, total)`` writes the
 * page marker ("1/2").
 */
export function fitRegions(root, format = (n, total) => `${n}/${total}`) {
  const regions = new Map();
  let pending = 0;
  let observer = null;

  const region = (el) => {
    if (!regions.has(el)) regions.set(el, new Region(el, format));
    return regions.get(el);
  };

  function run() {
    pending = 0;
    observer.disconnect();
    const minPx = MIN_TEXT_SHARE * document.documentElement.clientHeight;
    for (const el of root.querySelectorAll("[data-fit]")) region(el).fit(minPx);
    root.removeAttribute("data-fitting");
    observer.takeRecords();
    watch();
    root.dispatchEvent(new CustomEvent("fit-done", { bubbles: true }));
  }

  function schedule() {
    if (pending) return;
    root.setAttribute("data-fitting", "");
    pending = requestAnimationFrame(run);
  }

  function watch() {
    observer.observe(root, {
      subtree: true,
      childList: true,
      characterData: true,
      attributes: true,
      attributeFilter: ["hidden", "data-mode", "data-floor", "data-demands", "data-state"],
    });
  }

  /** Turn pages without the turn being taken for a change of content. */
  function turn(list, having = null) {
    observer.disconnect();
    let turned = false;
    for (const r of list) turned = r.next(having) || turned;
    observer.takeRecords();
    watch();
    return turned;
  }

  observer = new MutationObserver(schedule);
  watch();
  window.addEventListener("resize", schedule);
  root.addEventListener("fit-turn", (event) => {
    const el = event.target.closest("[data-fit]");
    const detail = event.detail || {};
    if (el && regions.has(el)) detail.turned = turn([regions.get(el)], detail.having || null);
  });
  setInterval(() => turn([...regions.values()].filter((r) => !r.el.hasAttribute("data-fit-held"))), PAGE_MS);
  schedule();
  return { schedule };
}
